// Line totals, volume discount and order totals. Amounts are integer cents.

const VOLUME_DISCOUNT_THRESHOLD = 10000;
const VOLUME_DISCOUNT_RATE = 0.1;

export function priceLines(items, products) {
  const lines = items.map((item) => {
    const product = products.get(item.sku);
    return {
      sku: product.sku,
      name: product.name,
      quantity: item.quantity,
      unitPrice: product.price,
      lineTotal: product.price * item.quantity,
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  return { lines, subtotal };
}

export function discountFor(subtotal) {
  if (subtotal < VOLUME_DISCOUNT_THRESHOLD) return 0;
  return Math.round(subtotal * VOLUME_DISCOUNT_RATE);
}

export function totals(subtotal, shipping) {
  const discount = discountFor(subtotal);
  return { subtotal, discount, shipping, total: subtotal - discount + shipping };
}
