// Order storage. In memory for this service; every call is asynchronous so callers are written
// the way they would be against a database.

const orders = new Map();
let lastId = 0;

function later(value) {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

function copy(order) {
  return order === undefined ? undefined : structuredClone(order);
}

export function reset(seed = []) {
  orders.clear();
  lastId = 0;
  for (const order of seed) {
    orders.set(order.id, structuredClone(order));
    lastId = Math.max(lastId, order.id);
  }
}

export async function findOrder(id) {
  return later(copy(orders.get(id)));
}

export async function listOrders() {
  return later([...orders.values()].map(copy));
}

export async function insertOrder(fields) {
  await later();
  const order = { id: ++lastId, ...fields };
  orders.set(order.id, structuredClone(order));
  return copy(order);
}

export async function updateOrder(id, changes) {
  await later();
  const current = orders.get(id);
  if (!current) return undefined;
  const updated = { ...current, ...changes };
  orders.set(id, structuredClone(updated));
  return copy(updated);
}
