// Reading and editing profiles.

import { avatarFor } from './avatars.js';
import { normalizeLink } from './links.js';
import * as store from './store.js';

export async function getProfile(id) {
  return store.findProfile(id);
}

export function profileChanges(input) {
  const changes = {};
  if (input.displayName !== undefined) changes.displayName = input.displayName.trim();
  if (input.bio !== undefined) changes.bio = input.bio.trim();
  if (input.links !== undefined) changes.links = input.links.map(normalizeLink);
  return changes;
}

export async function updateProfile(id, input) {
  const current = await store.findProfile(id);
  if (!current) return undefined;
  return store.updateProfile(id, profileChanges(input));
}

export async function setAvatar(id, input) {
  const current = await store.findProfile(id);
  if (!current) return undefined;
  return store.updateProfile(id, { avatar: avatarFor(input) });
}
