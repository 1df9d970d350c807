// Progress on stderr: a redrawn bar with ETA on a TTY, a plain line every few seconds otherwise.
export interface Progress {
  tick(): void;
  done(): void;
}

export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet || total === 0) return { tick() {}, done() {} };
  const started = Date.now();
  let completed = 0;
  let lastLine = 0;
  const status = (): string => {
    const elapsed = (Date.now() - started) / 1000;
    const eta = completed > 0 ? (elapsed / completed) * (total - completed) : Number.NaN;
    const percent = Math.floor((completed / total) * 100);
    return `${completed}/${total} mutants (${percent}%) ETA ${Number.isNaN(eta) ? '?' : `${Math.ceil(eta)}s`}`;
  };
  return {
    tick() {
      completed++;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((completed / total) * width);
        stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${status()}  `);
      } else if (Date.now() - lastLine > 5000 || completed === total) {
        lastLine = Date.now();
        stream.write(`suture mutate: ${status()}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
