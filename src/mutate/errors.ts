/** A problem with the user's project or input: printed as one line, exit code 1. */
export class MutateError extends Error {
  override readonly name = 'MutateError';
}
