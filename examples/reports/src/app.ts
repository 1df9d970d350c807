// Builds the HTTP server: routes, error mapping and the request listener.

import http from 'node:http';
import { accountHandlers, health, histogram, listRegions, summary, type Handler } from './handlers.js';
import { BadRequest, sendError } from './http.js';
import { resetUsers } from './users.js';

export interface AppOptions {
  adminToken?: string;
}

export function createServer({ adminToken = process.env.REPORTS_ADMIN_TOKEN ?? 'reports-admin-token' }: AppOptions = {}): http.Server {
  resetUsers();
  const accounts = accountHandlers(adminToken);

  const routes = new Map<string, Map<string, Handler>>([
    ['/health', new Map([['GET', health]])],
    ['/reports/regions', new Map([['GET', listRegions]])],
    ['/reports/summary', new Map([['GET', summary]])],
    ['/reports/histogram', new Map([['POST', histogram]])],
    ['/sessions', new Map([['POST', accounts.signIn]])],
    ['/admin/users', new Map([['POST', accounts.addUser]])],
  ]);

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const methods = routes.get(url.pathname);
    if (!methods) return sendError(res, 404, `no route for ${req.method} ${url.pathname}`);
    const handler = methods.get(req.method ?? 'GET');
    if (!handler) return sendError(res, 405, `method ${req.method} not allowed on ${url.pathname}`);

    Promise.resolve()
      .then(() => handler(req, res, url.searchParams))
      .catch((err: unknown) => {
        if (res.headersSent) return res.destroy();
        if (err instanceof BadRequest) return sendError(res, 400, err.message);
        console.error(err);
        sendError(res, 500, 'internal error');
      });
  });
}
