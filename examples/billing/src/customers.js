// Customer accounts client. Billing details come from the CRM; lookups answer on a later turn of
// the event loop, like the network call they stand for.

const CUSTOMERS = [
  { id: 'CUST-1001', name: 'Analytical Engines Ltd', country: 'GB', currency: 'GBP' },
  { id: 'CUST-1002', name: 'Hopper Compilers Inc', country: 'US', currency: 'USD' },
  { id: 'CUST-1003', name: 'Zuse Rechenwerk GmbH', country: 'DE', currency: 'EUR' },
  { id: 'CUST-1004', name: 'Bletchley Ciphers BV', country: 'NL', currency: 'EUR' },
];

const byId = new Map(CUSTOMERS.map((customer) => [customer.id, customer]));

export function findCustomer(id) {
  return new Promise((resolve) => {
    setImmediate(() => {
      const customer = byId.get(id);
      resolve(customer ? { ...customer } : undefined);
    });
  });
}
