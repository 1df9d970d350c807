// Schema migrations, applied in order; PRAGMA user_version holds how many have run.
// Append new ones; never edit one that has shipped.

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    signature TEXT NOT NULL UNIQUE,
    error_class TEXT NOT NULL,
    message_pattern TEXT NOT NULL,
    message TEXT NOT NULL,
    origin TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    frames TEXT NOT NULL,
    location TEXT,
    reproduced TEXT NOT NULL DEFAULT 'unconfirmed',
    service TEXT NOT NULL
  );
  CREATE TABLE incident_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    request TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX incident_requests_by_incident ON incident_requests(incident_id, seq);
  CREATE TABLE traffic (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    route TEXT NOT NULL,
    request TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX traffic_by_route ON traffic(route, seq);
  `,
  `
  CREATE TABLE diagnoses (
    incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
    diagnosis TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE TABLE candidates (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    candidate TEXT NOT NULL,
    validation TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (incident_id, id)
  );
  CREATE TABLE patches (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    patch TEXT NOT NULL
  );
  CREATE INDEX patches_by_incident ON patches(incident_id);
  `,
  // The audit trail. No foreign keys: an entry must be writable whatever else the store holds, and
  // must outlive anything it names. The triggers stop Suture's own code from rewriting history; they
  // do not stop someone with the file (verification is what catches that).
  `
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    incident_id TEXT,
    patch_id TEXT,
    summary TEXT NOT NULL,
    evidence TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_by_incident ON audit(incident_id, seq);
  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  `,
];
