// Invoice storage. In memory for this service; every call is asynchronous so callers are written
// the way they would be against a database.

const invoices = new Map();
let lastId = 0;

function later(value) {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

function copy(invoice) {
  return invoice === undefined ? undefined : structuredClone(invoice);
}

export function invoiceNumber(id) {
  return `INV-${String(id).padStart(4, '0')}`;
}

export function reset(seed = []) {
  invoices.clear();
  lastId = 0;
  for (const invoice of seed) {
    invoices.set(invoice.id, structuredClone(invoice));
    lastId = Math.max(lastId, invoice.id);
  }
}

export async function findInvoice(id) {
  return later(copy(invoices.get(id)));
}

export async function insertInvoice(fields) {
  await later();
  const id = ++lastId;
  const invoice = { id, number: invoiceNumber(id), ...fields };
  invoices.set(id, structuredClone(invoice));
  return copy(invoice);
}
