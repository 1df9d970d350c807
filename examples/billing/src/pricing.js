// Line totals, tax and balances. Amounts are integer minor units (cents, pence).

import { taxOn, taxRateFor } from './tax.js';

export function priceLines(lines) {
  return lines.map((line) => ({
    description: line.description.trim(),
    amount: line.amount,
    quantity: line.quantity,
    lineTotal: line.amount * line.quantity,
  }));
}

export function invoiceTotals(invoice) {
  const subtotal = invoice.lines.reduce((sum, line) => sum + line.amount * line.quantity, 0);
  const taxRate = taxRateFor(invoice.customer.country);
  const tax = taxOn(subtotal, taxRate);
  return { subtotal, taxRate, tax, total: subtotal + tax };
}

export function balanceOf(invoice) {
  const totals = invoiceTotals(invoice);
  return {
    id: invoice.id,
    number: invoice.number,
    currency: invoice.currency,
    ...totals,
    paid: invoice.amountPaid,
    due: Math.max(0, totals.total - invoice.amountPaid),
  };
}
