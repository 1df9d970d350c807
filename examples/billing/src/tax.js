// VAT rates by billing country. Customers outside the table are invoiced without VAT.

const VAT_RATES = {
  AT: 0.2,
  BE: 0.21,
  DE: 0.19,
  FR: 0.2,
  GB: 0.2,
  IE: 0.23,
  NL: 0.21,
};

export function taxRateFor(country) {
  return VAT_RATES[String(country ?? '').toUpperCase()] ?? 0;
}

export function taxOn(amount, rate) {
  return Math.round(amount * rate);
}
