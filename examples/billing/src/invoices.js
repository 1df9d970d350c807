// Issuing invoices and working out what is owed on them.

import { findCustomer } from './customers.js';
import { balanceOf, invoiceTotals, priceLines } from './pricing.js';
import * as repository from './repository.js';

export class UnknownCustomer extends Error {
  constructor(customerId) {
    super(`unknown customer: ${customerId}`);
    this.customerId = customerId;
  }
}

export async function createInvoice(input) {
  const customer = await findCustomer(input.customerId);
  if (!customer) throw new UnknownCustomer(input.customerId);
  const draft = {
    customerId: customer.id,
    customer: { name: customer.name, country: customer.country },
    currency: customer.currency,
    status: 'open',
    lines: priceLines(input.lines),
  };
  return repository.insertInvoice({ ...draft, ...invoiceTotals(draft), amountPaid: 0 });
}

export async function getInvoice(id) {
  return repository.findInvoice(id);
}

export async function invoiceBalance(id) {
  const invoice = await repository.findInvoice(id);
  return balanceOf(invoice);
}
