// HTTP handlers for /orders.

import { readJson, sendError, sendJson } from '../http.js';
import { cancelOrder, getOrder, listOrders, placeOrder, UnknownProducts } from '../orders.js';
import { orderInputProblem, parseOrderId } from '../validation.js';

export async function list(req, res) {
  sendJson(res, 200, { orders: await listOrders() });
}

export async function show(req, res, params) {
  const id = parseOrderId(params.id);
  if (id === null) return sendError(res, 400, `invalid order id: ${params.id}`);
  const order = await getOrder(id);
  if (!order) return sendError(res, 404, `order ${id} not found`);
  sendJson(res, 200, order);
}

export function create(req, res) {
  readJson(req).then(
    (body) => {
      const problem = orderInputProblem(body);
      if (problem) return sendError(res, 400, problem);
      placeOrder(body, (err, order) => {
        if (err instanceof UnknownProducts) return sendError(res, 422, err.message);
        if (err) return sendError(res, 500, 'could not place order');
        sendJson(res, 201, order);
      });
    },
    (err) => sendError(res, 400, err.message),
  );
}

export async function cancel(req, res, params) {
  const id = parseOrderId(params.id);
  if (id === null) return sendError(res, 400, `invalid order id: ${params.id}`);
  let body;
  try {
    body = await readJson(req);
  } catch (err) {
    return sendError(res, 400, err.message);
  }
  const result = await cancelOrder(id, body?.reason);
  if (result.outcome === 'not-found') return sendError(res, 404, `order ${id} not found`);
  if (result.outcome === 'conflict') return sendError(res, 409, `order ${id} is already ${result.order.status}`);
  sendJson(res, 200, result.order);
}
