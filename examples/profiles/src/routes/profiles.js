// HTTP handlers for /profiles.

import { collectJson } from '../body-reader.js';
import { readJson, sendError, sendJson } from '../http.js';
import { getProfile, setAvatar, updateProfile } from '../profiles.js';
import { avatarProblem, parseProfileId, profileUpdateProblem } from '../validation.js';

export async function show(req, res, params) {
  const id = parseProfileId(params.id);
  if (id === null) return sendError(res, 400, `invalid profile id: ${params.id}`);
  const profile = await getProfile(id);
  if (!profile) return sendError(res, 404, `profile ${id} not found`);
  sendJson(res, 200, profile);
}

export function update(req, res, params) {
  const id = parseProfileId(params.id);
  if (id === null) return sendError(res, 400, `invalid profile id: ${params.id}`);
  collectJson(req, (err, body) => {
    if (err) return sendError(res, err.status ?? 400, err.message);
    const problem = profileUpdateProblem(body);
    if (problem) return sendError(res, 400, problem);
    updateProfile(id, body).then(
      (profile) => {
        if (!profile) return sendError(res, 404, `profile ${id} not found`);
        sendJson(res, 200, profile);
      },
      () => sendError(res, 500, 'could not update profile'),
    );
  });
}

export async function uploadAvatar(req, res, params) {
  const id = parseProfileId(params.id);
  if (id === null) return sendError(res, 400, `invalid profile id: ${params.id}`);
  let body;
  try {
    body = await readJson(req);
  } catch (err) {
    return sendError(res, 400, err.message);
  }
  const problem = avatarProblem(body);
  if (problem) return sendError(res, 400, problem);
  const profile = await setAvatar(id, body);
  if (!profile) return sendError(res, 404, `profile ${id} not found`);
  sendJson(res, 200, profile);
}
