'use strict';

// Stock levels: what is on the shelf, what is held, what can still be sold.

const { reservedQuantity, addReservation } = require('./reservations');

function variantAvailability(item, index) {
  const stock = item.variants[index].stock;
  const reserved = reservedQuantity(item.sku, index);
  return {
    sku: item.sku,
    index,
    label: item.variants[index].label,
    stock,
    reserved,
    available: Math.max(0, stock - reserved),
  };
}

function itemAvailability(item) {
  return {
    sku: item.sku,
    name: item.name,
    warehouse: item.warehouse,
    variants: item.variants.map((_, index) => variantAvailability(item, index)),
  };
}

function itemSummary(item) {
  const variants = item.variants.map((_, index) => variantAvailability(item, index));
  return {
    sku: item.sku,
    name: item.name,
    variants: variants.length,
    available: variants.reduce((sum, v) => sum + v.available, 0),
  };
}

function reserve(item, index, quantity) {
  if (index >= item.variants.length) {
    return { error: `${item.sku} has ${item.variants.length} variant(s); no variant ${index}` };
  }
  const { available } = variantAvailability(item, index);
  if (quantity > available) return { shortBy: quantity - available, available };
  const reservation = addReservation(item.sku, index, quantity);
  return { reservation: { ...reservation, available: available - quantity } };
}

module.exports = { variantAvailability, itemAvailability, itemSummary, reserve };
