// An error the user can act on: printed as one line, `suture: <message>`, with a non-zero exit.

export class UsageError extends Error {
  readonly exitCode = 2;
}
