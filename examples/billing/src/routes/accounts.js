// HTTP handlers for finance staff accounts: sign-in and user administration.

import { bearerToken, readJson, sendError, sendJson } from '../http.js';
import { createUser, verifyUser } from '../users.js';

export function accountRoutes({ adminToken }) {
  async function signIn(req, res) {
    let body;
    try {
      body = await readJson(req);
    } catch (err) {
      return sendError(res, 400, err.message);
    }
    const user = verifyUser(body?.username, body?.password);
    if (!user) return sendError(res, 401, 'invalid username or password');
    sendJson(res, 200, user);
  }

  async function addUser(req, res) {
    if (bearerToken(req) !== adminToken) return sendError(res, 401, 'admin token required');
    let body;
    try {
      body = await readJson(req);
    } catch (err) {
      return sendError(res, 400, err.message);
    }
    const result = createUser(body ?? {});
    if (result.error) return sendError(res, 400, result.error);
    if (result.conflict) return sendError(res, 409, `user ${body.username} already exists`);
    sendJson(res, 201, result.user);
  }

  return { signIn, addUser };
}
