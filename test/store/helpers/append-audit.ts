// A separate process appending audit entries to a store: `append-audit.ts <file> <name> <count>`.
// Prints `ready` once its store is open, waits for a line on stdin, appends, then prints the seqs it got.

import { createInterface } from 'node:readline';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

const [file, name, count] = process.argv.slice(2);
const store = SqliteStore.open(file!);
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
const seqs: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const entry = await store.appendAudit({ action: 'shield-raised', actor: name!, summary: `${name} #${i}`, evidence: { writer: name, i } });
  seqs.push(entry.seq);
}
await store.close();
process.stdout.write(`${JSON.stringify(seqs)}\n`);
