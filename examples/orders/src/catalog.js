// Product catalog client. It keeps the callback API of the pricing system it was written
// against; lookups answer on a later turn of the event loop, like the network call they stand for.

const PRODUCTS = [
  { sku: 'MUG-01', name: 'Enamel mug', price: 1200, weight: 350 },
  { sku: 'TEE-02', name: 'Organic T-shirt', price: 2500, weight: 200 },
  { sku: 'CAP-03', name: 'Baseball cap', price: 1800, weight: 120 },
  { sku: 'BAG-04', name: 'Canvas tote bag', price: 1500, weight: 180 },
  { sku: 'PEN-05', name: 'Fountain pen', price: 4500, weight: 40 },
];

const bySku = new Map(PRODUCTS.map((product) => [product.sku, product]));

export function findProducts(skus, callback) {
  setImmediate(() => {
    const found = new Map();
    for (const sku of skus) {
      const product = bySku.get(sku);
      if (product) found.set(sku, { ...product });
    }
    callback(null, found);
  });
}
