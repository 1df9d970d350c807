// Cents to display strings.

export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

export function formatAmount(value: number, decimals = 2): string {
  return value.toFixed(decimals);
}
