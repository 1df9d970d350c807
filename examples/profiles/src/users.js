// Staff accounts for the support desk. Passwords are kept as salted SHA-256 digests.

import { createHash, timingSafeEqual } from 'node:crypto';

const ROLES = new Set(['support', 'moderator']);
const users = new Map();

function digest(username, password) {
  return createHash('sha256').update(`profiles:${username}:${password}`).digest();
}

export function resetUsers() {
  users.clear();
  users.set('radia', { username: 'radia', role: 'moderator', digest: digest('radia', 'spanning-tree') });
}

export function createUser({ username, password, role = 'support' }) {
  if (typeof username !== 'string' || !/^[a-z][a-z0-9_-]{1,31}$/.test(username)) {
    return { error: 'username must be 2-32 lowercase letters, digits, _ or -' };
  }
  if (typeof password !== 'string' || password.length < 8) return { error: 'password must be at least 8 characters' };
  if (!ROLES.has(role)) return { error: `role must be one of: ${[...ROLES].join(', ')}` };
  if (users.has(username)) return { conflict: true };
  users.set(username, { username, role, digest: digest(username, password) });
  return { user: { username, role } };
}

export function verifyUser(username, password) {
  const user = typeof username === 'string' ? users.get(username) : undefined;
  if (!user || typeof password !== 'string') return null;
  return timingSafeEqual(user.digest, digest(username, password)) ? { username, role: user.role } : null;
}
