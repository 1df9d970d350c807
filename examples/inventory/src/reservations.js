'use strict';

// Stock held for open carts, by item and variant. In memory; lost on restart.

const reservations = [];

function reset() {
  reservations.length = 0;
}

function reservedQuantity(sku, variant) {
  let total = 0;
  for (const r of reservations) if (r.sku === sku && r.variant === variant) total += r.quantity;
  return total;
}

function addReservation(sku, variant, quantity) {
  const reservation = { id: reservations.length + 1, sku, variant, quantity };
  reservations.push(reservation);
  return { ...reservation };
}

module.exports = { reset, reservedQuantity, addReservation };
