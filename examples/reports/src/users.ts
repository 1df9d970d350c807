// Analyst accounts. Passwords are kept as salted SHA-256 digests.

import { createHash, timingSafeEqual } from 'node:crypto';

export interface User {
  username: string;
  role: string;
}

const ROLES = new Set(['analyst', 'admin']);
const users = new Map<string, User & { digest: Buffer }>();

function digest(username: string, password: string): Buffer {
  return createHash('sha256').update(`reports:${username}:${password}`).digest();
}

export function resetUsers(): void {
  users.clear();
  users.set('katherine', { username: 'katherine', role: 'admin', digest: digest('katherine', 'orbital-mechanics') });
}

export type CreateResult = { user: User } | { error: string } | { conflict: true };

export function createUser(input: Record<string, unknown>): CreateResult {
  const { username, password, role = 'analyst' } = input;
  if (typeof username !== 'string' || !/^[a-z][a-z0-9_-]{1,31}$/.test(username)) {
    return { error: 'username must be 2-32 lowercase letters, digits, _ or -' };
  }
  if (typeof password !== 'string' || password.length < 8) return { error: 'password must be at least 8 characters' };
  if (typeof role !== 'string' || !ROLES.has(role)) return { error: `role must be one of: ${[...ROLES].join(', ')}` };
  if (users.has(username)) return { conflict: true };
  users.set(username, { username, role, digest: digest(username, password) });
  return { user: { username, role } };
}

export function verifyUser(username: unknown, password: unknown): User | null {
  if (typeof username !== 'string' || typeof password !== 'string') return null;
  const user = users.get(username);
  if (!user) return null;
  return timingSafeEqual(user.digest, digest(username, password)) ? { username, role: user.role } : null;
}
