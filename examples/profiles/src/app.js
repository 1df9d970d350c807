// Builds the HTTP server: state, routes and the request listener.

import http from 'node:http';
import { sendJson } from './http.js';
import { createRouter } from './router.js';
import { accountRoutes } from './routes/accounts.js';
import * as profiles from './routes/profiles.js';
import { SEED_PROFILES } from './seed.js';
import * as store from './store.js';
import { resetUsers } from './users.js';

export function createServer({ adminToken = process.env.PROFILES_ADMIN_TOKEN ?? 'profiles-admin-token' } = {}) {
  store.reset(SEED_PROFILES);
  resetUsers();

  const router = createRouter();
  const accounts = accountRoutes({ adminToken });
  router.add('GET', '/health', (req, res) => sendJson(res, 200, { ok: true }));
  router.add('GET', '/profiles/:id', profiles.show);
  router.add('PUT', '/profiles/:id', profiles.update);
  router.add('POST', '/profiles/:id/avatar', profiles.uploadAvatar);
  router.add('POST', '/sessions', accounts.signIn);
  router.add('POST', '/admin/users', accounts.addUser);

  return http.createServer((req, res) => router.handle(req, res));
}
