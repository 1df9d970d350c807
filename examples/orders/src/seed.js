// Orders present when the service starts.

export const SEED_ORDERS = [
  {
    id: 1,
    status: 'placed',
    customer: { name: 'Grace Hopper', email: 'grace@example.com', address: { street: '1 Navy Yard', city: 'Arlington', country: 'US' } },
    lines: [{ sku: 'MUG-01', name: 'Enamel mug', quantity: 2, unitPrice: 1200, lineTotal: 2400 }],
    subtotal: 2400,
    discount: 0,
    shipping: 500,
    total: 2900,
    currency: 'USD',
  },
  {
    id: 2,
    status: 'placed',
    customer: { name: 'Ada Lovelace', email: 'ada@example.com', address: { street: '12 St James Square', city: 'London', country: 'GB' } },
    lines: [{ sku: 'PEN-05', name: 'Fountain pen', quantity: 1, unitPrice: 4500, lineTotal: 4500 }],
    subtotal: 4500,
    discount: 0,
    shipping: 1500,
    total: 6000,
    currency: 'USD',
  },
  {
    id: 3,
    status: 'placed',
    customer: { name: 'Katherine Johnson', email: 'katherine@example.com', address: { street: '4 Langley Blvd', city: 'Hampton', country: 'US' } },
    lines: [{ sku: 'TEE-02', name: 'Organic T-shirt', quantity: 3, unitPrice: 2500, lineTotal: 7500 }],
    subtotal: 7500,
    discount: 0,
    shipping: 500,
    total: 8000,
    currency: 'USD',
  },
];
