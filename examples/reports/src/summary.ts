// Regional sales summary: totals, average order and best seller.

import type { Sale } from './data.js';
import { formatCents } from './money.js';

export interface Summary {
  region: string;
  orders: number;
  units: number;
  revenue: string;
  averageOrder: string;
  topProduct: { name: string; revenue: string } | null;
  months: { month: string; revenue: string }[];
}

function revenueOf(sale: Sale): number {
  return sale.units * sale.unitPrice;
}

function totalsBy(sales: readonly Sale[], key: (sale: Sale) => string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const sale of sales) totals.set(key(sale), (totals.get(key(sale)) ?? 0) + revenueOf(sale));
  return totals;
}

export function summarise(region: string, sales: readonly Sale[]): Summary {
  const revenue = sales.reduce((sum, sale) => sum + revenueOf(sale), 0);
  const byProduct = [...totalsBy(sales, (sale) => sale.product)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const byMonth = [...totalsBy(sales, (sale) => sale.month)].sort((a, b) => a[0].localeCompare(b[0]));
  const top = byProduct[0];
  return {
    region,
    orders: sales.length,
    units: sales.reduce((sum, sale) => sum + sale.units, 0),
    revenue: formatCents(revenue),
    averageOrder: sales.length === 0 ? formatCents(0) : formatCents(Math.round(revenue / sales.length)),
    topProduct: top ? { name: top[0], revenue: formatCents(top[1]) } : null,
    months: byMonth.map(([month, cents]) => ({ month, revenue: formatCents(cents) })),
  };
}
