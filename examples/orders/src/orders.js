// Placing and cancelling orders.

import { findProducts } from './catalog.js';
import { priceLines, totals } from './pricing.js';
import * as repository from './repository.js';
import { shippingFor } from './shipping.js';

export class UnknownProducts extends Error {
  constructor(skus) {
    super(`unknown product(s): ${skus.join(', ')}`);
    this.skus = skus;
  }
}

export function placeOrder(input, done) {
  const skus = input.items.map((item) => item.sku);
  findProducts(skus, (err, products) => {
    if (err) return done(err);
    const missing = skus.filter((sku) => !products.has(sku));
    if (missing.length > 0) return done(new UnknownProducts(missing));

    const { lines, subtotal } = priceLines(input.items, products);
    const shipping = shippingFor(input.customer, subtotal);
    repository
      .insertOrder({
        status: 'placed',
        customer: input.customer,
        lines,
        ...totals(subtotal, shipping),
        currency: 'USD',
      })
      .then((order) => done(null, order), done);
  });
}

function cancellationNote(reason) {
  const text = reason === undefined ? '' : reason.trim();
  return text === '' ? 'no reason given' : text.slice(0, 200);
}

export async function cancelOrder(id, reason) {
  const order = await repository.findOrder(id);
  if (!order) return { outcome: 'not-found' };
  if (order.status !== 'placed') return { outcome: 'conflict', order };
  const note = cancellationNote(reason);
  const updated = await repository.updateOrder(id, { status: 'cancelled', cancellation: note });
  return { outcome: 'cancelled', order: updated };
}

export async function getOrder(id) {
  return repository.findOrder(id);
}

export async function listOrders() {
  const orders = await repository.listOrders();
  return orders.map(({ id, status, customer, total, currency }) => ({ id, status, customer: customer.name, total, currency }));
}
