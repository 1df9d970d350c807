// Writing and checking the audit trail. Verification is a pure function over the entries and the
// head a store hands back; recording never lets an audit failure break the action it describes,
// and never lets it pass unseen either.

import { auditHash, GENESIS_HASH, type AuditEntry, type AuditHead, type AuditInput } from '../model/audit.js';
import type { Store } from '../store/store.js';

export interface AuditProblem {
  /** The entry concerned: the edited one, or the first of the missing ones. */
  seq: number;
  problem: 'edited' | 'removed' | 'out-of-order';
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  problems: AuditProblem[];
}

const short = (hash: string) => hash.slice(0, 12);
const range = (from: number, to: number) => (from === to ? `entry ${from} is` : `entries ${from}–${to} are`);

/**
 * Checks a whole trail, oldest first: every entry's hash against its content, every link against
 * the entry before, the numbering for gaps, and the last entry against the head. One problem per
 * cause: a gap is reported once, not again as the broken link that follows from it.
 */
export function verifyAudit(entries: readonly AuditEntry[], head: AuditHead | undefined): AuditVerification {
  const problems: AuditProblem[] = [];
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let last: AuditEntry | undefined;
  for (const entry of entries) {
    if (last && entry.seq <= last.seq) {
      problems.push({ seq: entry.seq, problem: 'out-of-order', detail: `entry ${entry.seq} comes after entry ${last.seq}` });
      continue;
    }
    const { hash, ...content } = entry;
    if (auditHash(content) !== hash) {
      problems.push({ seq: entry.seq, problem: 'edited', detail: `entry ${entry.seq} (${entry.action}) does not match its hash: its content was changed after it was written` });
    }
    if (entry.seq > expected) {
      problems.push({ seq: expected, problem: 'removed', detail: `${range(expected, entry.seq - 1)} missing (the trail goes from ${expected - 1} to ${entry.seq})` });
    } else if (entry.prev !== prevHash) {
      // The link this entry holds no longer names the entry before: that one was rewritten and
      // re-hashed, or entries were removed and the rest renumbered to hide the gap.
      problems.push(
        entry.seq === 1
          ? { seq: 1, problem: 'edited', detail: `entry 1 does not start the chain (its link is ${short(entry.prev)}…, not zeros)` }
          : {
              seq: entry.seq - 1,
              problem: 'edited',
              detail: `the chain breaks between entries ${entry.seq - 1} and ${entry.seq}: entry ${entry.seq} links to ${short(entry.prev)}…, entry ${entry.seq - 1} hashes to ${short(prevHash)}… (entry ${entry.seq - 1} was rewritten, or entries were removed and renumbered)`,
            },
      );
    }
    expected = entry.seq + 1;
    prevHash = hash;
    last = entry;
  }

  const lastSeq = last?.seq ?? 0;
  if (!head) {
    if (last) problems.push({ seq: lastSeq, problem: 'removed', detail: `the trail's head record is missing (it should name entry ${lastSeq})` });
  } else if (head.seq > lastSeq) {
    problems.push({ seq: lastSeq + 1, problem: 'removed', detail: `${range(lastSeq + 1, head.seq)} missing from the end (the head names entry ${head.seq}, the last one kept is ${lastSeq || 'none'})` });
  } else if (head.seq < lastSeq) {
    problems.push({ seq: head.seq + 1, problem: 'edited', detail: `${range(head.seq + 1, lastSeq)} past the head (entry ${head.seq}): added outside Suture` });
  } else if (last && head.hash !== last.hash) {
    problems.push({ seq: lastSeq, problem: 'edited', detail: `entry ${lastSeq} is not the one the head names (head ${short(head.hash)}, entry ${short(last.hash)})` });
  }
  problems.sort((a, b) => a.seq - b.seq); // stable: one entry's problems keep the order found
  return { ok: problems.length === 0, entries: entries.length, problems };
}

/**
 * Appends an audit entry for an action already taken. A failed write never throws into the caller:
 * the action stands, but the failure is written as one line to `report` (stderr by default) and
 * returned as an Error, so a gap in the trail is always visible.
 */
export async function recordAudit(
  store: Store,
  input: AuditInput,
  report: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<AuditEntry | Error> {
  try {
    return await store.appendAudit(input);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    const about = [input.incident && `incident ${input.incident}`, input.patch && `patch ${input.patch}`].filter(Boolean).join(', ');
    report(`suture: audit entry not recorded (${input.action}${about ? ` for ${about}` : ''} by ${input.actor}): ${error.message.replace(/\s*\n\s*/g, ' ')}`);
    return error;
  }
}
