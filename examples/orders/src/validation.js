// Shape checks for request bodies. Each returns a message for the client, or null when valid.

const MAX_QUANTITY = 100;

export function orderInputProblem(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const { customer, items } = body;
  if (customer === null || typeof customer !== 'object') return 'customer is required';
  if (typeof customer.name !== 'string' || customer.name.trim() === '') return 'customer.name is required';
  if (!Array.isArray(items) || items.length === 0) return 'items must be a non-empty array';
  for (const [i, item] of items.entries()) {
    if (item === null || typeof item !== 'object') return `items[${i}] must be an object`;
    if (typeof item.sku !== 'string') return `items[${i}].sku is required`;
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      return `items[${i}].quantity must be an integer from 1 to ${MAX_QUANTITY}`;
    }
  }
  return null;
}

export function parseOrderId(raw) {
  return /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : null;
}
