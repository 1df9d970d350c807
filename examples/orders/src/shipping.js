// Shipping rates by destination zone. Domestic orders over the threshold ship free.

const DOMESTIC_COUNTRY = 'US';
const EU_COUNTRIES = new Set(['AT', 'BE', 'DE', 'DK', 'ES', 'FI', 'FR', 'IE', 'IT', 'NL', 'PL', 'PT', 'SE']);
const RATES = { domestic: 500, eu: 1500, international: 2500 };
const FREE_DOMESTIC_FROM = 7500;

export function zoneFor(country) {
  const code = String(country ?? '').toUpperCase();
  if (code === DOMESTIC_COUNTRY) return 'domestic';
  if (EU_COUNTRIES.has(code)) return 'eu';
  return 'international';
}

export function shippingFor(customer, subtotal) {
  const zone = zoneFor(customer.address.country);
  if (zone === 'domestic' && subtotal >= FREE_DOMESTIC_FROM) return 0;
  return RATES[zone];
}
