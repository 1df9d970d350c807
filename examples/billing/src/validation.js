// Shape checks for request bodies. Each returns a message for the client, or null when valid.

const MAX_LINES = 50;
const MAX_DESCRIPTION = 200;
const MAX_AMOUNT = 10_000_000;
const MAX_QUANTITY = 10_000;

export function invoiceInputProblem(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const { customerId, lines } = body;
  if (typeof customerId !== 'string' || !/^CUST-[0-9]{4}$/.test(customerId)) return 'customerId must look like CUST-1234';
  if (!Array.isArray(lines) || lines.length === 0) return 'lines must be a non-empty array';
  if (lines.length > MAX_LINES) return `an invoice has at most ${MAX_LINES} lines`;
  for (const [i, line] of lines.entries()) {
    if (line === null || typeof line !== 'object') return `lines[${i}] must be an object`;
    if (typeof line.description !== 'string' || line.description.trim() === '') return `lines[${i}].description is required`;
    if (line.description.trim().length > MAX_DESCRIPTION) {
      return `lines[${i}].description is limited to ${MAX_DESCRIPTION} characters`;
    }
    if (!Number.isInteger(line.amount) || line.amount < 0 || line.amount > MAX_AMOUNT) {
      return `lines[${i}].amount must be an integer from 0 to ${MAX_AMOUNT} (minor units)`;
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      return `lines[${i}].quantity must be an integer from 1 to ${MAX_QUANTITY}`;
    }
  }
  return null;
}

export function parseInvoiceId(raw) {
  return /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : null;
}
