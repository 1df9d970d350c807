// Shape checks for request bodies. Each returns a message for the client, or null when valid.

import { normalizeLink } from './links.js';

const MAX_DISPLAY_NAME = 60;
const MAX_BIO = 280;
const MAX_LINKS = 5;
const MIN_AVATAR = 32;
const MAX_AVATAR = 2048;

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function profileUpdateProblem(body) {
  if (!isObject(body)) return 'body must be a JSON object';
  const { displayName, bio, links } = body;
  if (displayName !== undefined) {
    if (typeof displayName !== 'string' || displayName.trim() === '') return 'displayName must be a non-empty string';
    if (displayName.trim().length > MAX_DISPLAY_NAME) return `displayName is limited to ${MAX_DISPLAY_NAME} characters`;
  }
  if (bio !== undefined) {
    if (typeof bio !== 'string') return 'bio must be a string';
    if (bio.trim().length > MAX_BIO) return `bio is limited to ${MAX_BIO} characters`;
  }
  if (links !== undefined) {
    if (!Array.isArray(links)) return 'links must be an array of URLs';
    if (links.length > MAX_LINKS) return `at most ${MAX_LINKS} links are allowed`;
    for (const [i, link] of links.entries()) {
      if (normalizeLink(link) === null) return `links[${i}] must be an http or https URL`;
    }
  }
  return null;
}

export function avatarProblem(body) {
  if (!isObject(body)) return 'body must be a JSON object';
  const { url, width, height } = body;
  const link = normalizeLink(url);
  if (link === null || !link.url.startsWith('https:')) return 'url must be an https URL';
  for (const [name, value] of [['width', width], ['height', height]]) {
    if (!Number.isInteger(value) || value < MIN_AVATAR || value > MAX_AVATAR) {
      return `${name} must be an integer from ${MIN_AVATAR} to ${MAX_AVATAR}`;
    }
  }
  if (width !== height) return 'avatar must be square';
  return null;
}

export function parseProfileId(raw) {
  return /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : null;
}
