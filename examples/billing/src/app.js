// Builds the HTTP server: state, routes and the request listener.

import http from 'node:http';
import { sendJson } from './http.js';
import * as repository from './repository.js';
import { createRouter } from './router.js';
import { accountRoutes } from './routes/accounts.js';
import * as invoices from './routes/invoices.js';
import { SEED_INVOICES } from './seed.js';
import { resetUsers } from './users.js';

export function createServer({ adminToken = process.env.BILLING_ADMIN_TOKEN ?? 'billing-admin-token' } = {}) {
  repository.reset(SEED_INVOICES);
  resetUsers();

  const router = createRouter();
  const accounts = accountRoutes({ adminToken });
  router.add('GET', '/health', (req, res) => sendJson(res, 200, { ok: true }));
  router.add('POST', '/invoices', invoices.create);
  router.add('GET', '/invoices/:id', invoices.show);
  router.add('GET', '/invoices/:id/total', invoices.total);
  router.add('POST', '/sessions', accounts.signIn);
  router.add('POST', '/admin/users', accounts.addUser);

  return http.createServer((req, res) => router.handle(req, res));
}
