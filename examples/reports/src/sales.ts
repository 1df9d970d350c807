// Read access to the sales ledger. Asynchronous, as it would be against the warehouse database.

import { SALES, type Sale } from './data.js';

function later<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

export async function salesInRegion(region: string): Promise<Sale[]> {
  return later(SALES.filter((sale) => sale.region === region));
}

export async function regions(): Promise<string[]> {
  return later([...new Set(SALES.map((sale) => sale.region))].sort());
}
