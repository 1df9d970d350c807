// Maps "METHOD /path/:param" patterns to handlers.

import { sendError } from './http.js';

export function createRouter() {
  const routes = [];

  function add(method, pattern, handler) {
    const names = [];
    const source = pattern
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    routes.push({ method, regex: new RegExp(`^${source}$`), names, handler });
  }

  function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    let pathMatched = false;
    for (const route of routes) {
      const match = route.regex.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      const params = {};
      try {
        route.names.forEach((name, i) => {
          params[name] = decodeURIComponent(match[i + 1]);
        });
      } catch {
        sendError(res, 400, `malformed path: ${url.pathname}`);
        return;
      }
      route.handler(req, res, params, url.searchParams);
      return;
    }
    if (pathMatched) sendError(res, 405, `method ${req.method} not allowed on ${url.pathname}`);
    else sendError(res, 404, `no route for ${req.method} ${url.pathname}`);
  }

  return { add, handle };
}
