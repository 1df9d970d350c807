// Builds the HTTP server: state, routes and the request listener.

import http from 'node:http';
import { sendJson } from './http.js';
import * as repository from './repository.js';
import { createRouter } from './router.js';
import { accountRoutes } from './routes/accounts.js';
import * as orders from './routes/orders.js';
import { SEED_ORDERS } from './seed.js';
import { resetUsers } from './users.js';

export function createServer({ adminToken = process.env.ORDERS_ADMIN_TOKEN ?? 'orders-admin-token' } = {}) {
  repository.reset(SEED_ORDERS);
  resetUsers();

  const router = createRouter();
  const accounts = accountRoutes({ adminToken });
  router.add('GET', '/health', (req, res) => sendJson(res, 200, { ok: true }));
  router.add('GET', '/orders', orders.list);
  router.add('POST', '/orders', orders.create);
  router.add('GET', '/orders/:id', orders.show);
  router.add('POST', '/orders/:id/cancel', orders.cancel);
  router.add('POST', '/sessions', accounts.signIn);
  router.add('POST', '/admin/users', accounts.addUser);

  return http.createServer((req, res) => router.handle(req, res));
}
