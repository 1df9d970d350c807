// Profile storage. In memory for this service; every call is asynchronous so callers are written
// the way they would be against a database.

const profiles = new Map();

function later(value) {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

function copy(profile) {
  return profile === undefined ? undefined : structuredClone(profile);
}

export function reset(seed = []) {
  profiles.clear();
  for (const profile of seed) profiles.set(profile.id, structuredClone(profile));
}

export async function findProfile(id) {
  return later(copy(profiles.get(id)));
}

export async function updateProfile(id, changes) {
  await later();
  const current = profiles.get(id);
  if (!current) return undefined;
  const updated = { ...current, ...changes, version: current.version + 1 };
  profiles.set(id, structuredClone(updated));
  return copy(updated);
}
