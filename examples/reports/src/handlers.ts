// HTTP handlers: reports and analyst accounts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { deferred } from './defer.js';
import { buildHistogram } from './histogram.js';
import { bearerToken, readJson, sendError, sendJson } from './http.js';
import { regions, salesInRegion } from './sales.js';
import { summarise } from './summary.js';
import { createUser, verifyUser } from './users.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => void | Promise<void>;

const MAX_BUCKETS = 50;
const MAX_VALUES = 10_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const health: Handler = (req, res) => sendJson(res, 200, { ok: true });

export const listRegions: Handler = async (req, res) => {
  sendJson(res, 200, { regions: await regions() });
};

export const summary: Handler = async (req, res, query) => {
  const region = query.get('region');
  if (!region) return sendError(res, 400, 'query parameter region is required');
  const known = await regions();
  if (!known.includes(region)) return sendError(res, 404, `unknown region ${region}; known: ${known.join(', ')}`);
  sendJson(res, 200, summarise(region, await salesInRegion(region)));
};

export const histogram: Handler = async (req, res) => {
  const body = await readJson(req);
  if (!isObject(body)) return sendError(res, 400, 'body must be a JSON object');
  const { values, buckets } = body;
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES) {
    return sendError(res, 400, `values must be an array of 1 to ${MAX_VALUES} numbers`);
  }
  if (!values.every((value): value is number => typeof value === 'number' && Number.isFinite(value))) {
    return sendError(res, 400, 'values must all be finite numbers');
  }
  if (!Number.isInteger(buckets) || (buckets as number) > MAX_BUCKETS) {
    return sendError(res, 400, `buckets must be an integer up to ${MAX_BUCKETS}`);
  }
  const result = await deferred(() => buildHistogram(values, buckets as number));
  sendJson(res, 200, result);
};

export function accountHandlers(adminToken: string): { signIn: Handler; addUser: Handler } {
  const signIn: Handler = async (req, res) => {
    const body = await readJson(req);
    const user = isObject(body) ? verifyUser(body.username, body.password) : null;
    if (!user) return sendError(res, 401, 'invalid username or password');
    sendJson(res, 200, user);
  };

  const addUser: Handler = async (req, res) => {
    if (bearerToken(req) !== adminToken) return sendError(res, 401, 'admin token required');
    const body = await readJson(req);
    if (!isObject(body)) return sendError(res, 400, 'body must be a JSON object');
    const result = createUser(body);
    if ('error' in result) return sendError(res, 400, result.error);
    if ('conflict' in result) return sendError(res, 409, `user ${String(body.username)} already exists`);
    sendJson(res, 201, result.user);
  };

  return { signIn, addUser };
}
