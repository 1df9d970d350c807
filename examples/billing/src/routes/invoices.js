// HTTP handlers for /invoices.

import { readJson, sendError, sendJson } from '../http.js';
import { createInvoice, getInvoice, invoiceBalance, UnknownCustomer } from '../invoices.js';
import { invoiceInputProblem, parseInvoiceId } from '../validation.js';

export async function show(req, res, params) {
  const id = parseInvoiceId(params.id);
  if (id === null) return sendError(res, 400, `invalid invoice id: ${params.id}`);
  const invoice = await getInvoice(id);
  if (!invoice) return sendError(res, 404, `invoice ${id} not found`);
  sendJson(res, 200, invoice);
}

export async function total(req, res, params) {
  const id = parseInvoiceId(params.id);
  if (id === null) return sendError(res, 400, `invalid invoice id: ${params.id}`);
  const balance = await invoiceBalance(id);
  if (!balance) return sendError(res, 404, `invoice ${id} not found`);
  sendJson(res, 200, balance);
}

export function create(req, res) {
  readJson(req).then(
    (body) => {
      const problem = invoiceInputProblem(body);
      if (problem) return sendError(res, 400, problem);
      createInvoice(body).then(
        (invoice) => sendJson(res, 201, invoice),
        (err) => {
          if (err instanceof UnknownCustomer) return sendError(res, 422, err.message);
          sendError(res, 500, 'could not create invoice');
        },
      );
    },
    (err) => sendError(res, 400, err.message),
  );
}
