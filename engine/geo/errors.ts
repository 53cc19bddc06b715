// The named errors of the geo module.

/** An areas file that cannot be read, is not JSON, or does not match the areas schema. */
export class AreasFileError extends Error {
  override readonly name = 'AreasFileError';
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`areas file ${source}: ${message}`, options);
  }
}

/** A lookup by a code that no loaded area has. */
export class UnknownAreaError extends Error {
  override readonly name = 'UnknownAreaError';
  constructor(readonly code: string) {
    super(`unknown area code "${code}"`);
  }
}
