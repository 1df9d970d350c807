'use strict';

// HTTP handlers: items, variants, reservations and staff accounts.

const { bearerToken, readJson, sendError, sendJson } = require('./http');
const { itemAvailability, itemSummary, reserve, variantAvailability } = require('./stock');
const { createUser, verifyUser } = require('./users');
const warehouse = require('./warehouse');

const MAX_RESERVATION = 50;

function parseIndex(raw) {
  return /^(0|[1-9][0-9]{0,5})$/.test(raw) ? Number(raw) : null;
}

function health(req, res) {
  sendJson(res, 200, { ok: true });
}

function listItems(req, res, params, query) {
  warehouse.listItems((err, items) => {
    if (err) return sendError(res, 500, 'warehouse data unavailable');
    const wanted = query.get('warehouse');
    const selected = wanted ? items.filter((item) => item.warehouse === wanted) : items;
    sendJson(res, 200, { items: selected.map(itemSummary) });
  });
}

function showItem(req, res, params) {
  warehouse.findItem(params.sku, (err, item) => {
    if (err) return sendError(res, 500, 'warehouse data unavailable');
    if (!item) return sendError(res, 404, `no item with sku ${params.sku}`);
    sendJson(res, 200, itemAvailability(item));
  });
}

function showVariant(req, res, params) {
  const index = parseIndex(params.index);
  if (index === null) return sendError(res, 400, `variant index must be a non-negative integer, got ${params.index}`);
  warehouse.findItem(params.sku, (err, item) => {
    if (err) return sendError(res, 500, 'warehouse data unavailable');
    if (!item) return sendError(res, 404, `no item with sku ${params.sku}`);
    sendJson(res, 200, variantAvailability(item, index));
  });
}

function createReservation(req, res) {
  readJson(req, (err, body) => {
    if (err) return sendError(res, 400, err.message);
    const { sku, variant, quantity } = body || {};
    if (typeof sku !== 'string') return sendError(res, 400, 'sku is required');
    if (!Number.isInteger(variant) || variant < 0) return sendError(res, 400, 'variant must be a non-negative integer');
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_RESERVATION) {
      return sendError(res, 400, `quantity must be an integer from 1 to ${MAX_RESERVATION}`);
    }
    warehouse.findItem(sku, (findErr, item) => {
      if (findErr) return sendError(res, 500, 'warehouse data unavailable');
      if (!item) return sendError(res, 404, `no item with sku ${sku}`);
      const result = reserve(item, variant, quantity);
      if (result.error) return sendError(res, 400, result.error);
      if (result.shortBy) {
        return sendJson(res, 409, { error: `only ${result.available} available`, available: result.available });
      }
      sendJson(res, 201, result.reservation);
    });
  });
}

function accountRoutes({ adminToken }) {
  function signIn(req, res) {
    readJson(req, (err, body) => {
      if (err) return sendError(res, 400, err.message);
      const { username, password } = body || {};
      const user = verifyUser(username, password);
      if (!user) return sendError(res, 401, 'invalid username or password');
      sendJson(res, 200, user);
    });
  }

  function addUser(req, res) {
    if (bearerToken(req) !== adminToken) return sendError(res, 401, 'admin token required');
    readJson(req, (err, body) => {
      if (err) return sendError(res, 400, err.message);
      const result = createUser(body || {});
      if (result.error) return sendError(res, 400, result.error);
      if (result.conflict) return sendError(res, 409, `user ${body.username} already exists`);
      sendJson(res, 201, result.user);
    });
  }

  return { signIn, addUser };
}

module.exports = { health, listItems, showItem, showVariant, createReservation, accountRoutes };
