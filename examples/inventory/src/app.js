'use strict';

// Builds the HTTP server: state, routes and the request listener.

const http = require('node:http');
const { createRouter } = require('./http');
const reservations = require('./reservations');
const routes = require('./routes');
const { resetUsers } = require('./users');

function createApp({ adminToken = process.env.INVENTORY_ADMIN_TOKEN || 'inventory-admin-token' } = {}) {
  reservations.reset();
  resetUsers();

  const router = createRouter();
  const accounts = routes.accountRoutes({ adminToken });
  router.add('GET', '/health', routes.health);
  router.add('GET', '/items', routes.listItems);
  router.add('GET', '/items/:sku', routes.showItem);
  router.add('GET', '/items/:sku/variants/:index', routes.showVariant);
  router.add('POST', '/reservations', routes.createReservation);
  router.add('POST', '/sessions', accounts.signIn);
  router.add('POST', '/admin/users', accounts.addUser);

  return http.createServer((req, res) => router.handle(req, res));
}

module.exports = { createApp };
