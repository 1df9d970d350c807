// The event log (`--events FILE`): one JSON object per line, appended with a synchronous write so
// that a supervisor killed at any moment leaves whole lines behind.

import fs from 'node:fs';
import path from 'node:path';
import type { EventType, SutureEvent } from '../model/event.js';

/** An event stamped now, without the fields that were left undefined (JSON would drop them anyway). */
export function eventOf(type: EventType, fields: Record<string, unknown>): SutureEvent {
  const event: SutureEvent = { ts: new Date().toISOString(), type, ...fields };
  for (const key of Object.keys(event)) if (event[key] === undefined) delete event[key];
  return event;
}

export class EventLog {
  private fd: number | null;

  constructor(readonly file: string) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      this.fd = fs.openSync(file, 'a');
    } catch (err) {
      throw new Error(`cannot open the event log ${file} (${(err as Error).message}); pass a writable path to --events`);
    }
  }

  write(event: SutureEvent): void {
    if (this.fd === null) return;
    fs.writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

export function readEvents(file: string): SutureEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as SutureEvent];
      } catch {
        return [];
      }
    });
}
