/**
 * Error classes shared by every layer. Expected failures travel as values (see result.ts); these are thrown
 * at the edges and mapped to text and exit codes in one place per edge (cli/errors.ts, server onError).
 */

/** The user asked for something malformed (bad flag, bad window, bad date). CLI exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly hint: string | undefined;
  /** A stable code the CLI edge maps to a flag hint (cli/hints.ts): core names no flags. */
  readonly code: string | undefined;
  constructor(message: string, hint?: string, code?: string) {
    super(message);
    this.hint = hint;
    this.code = code;
  }
}

/** Where in an input a problem was found. */
export type InputLocation = { file?: string; line?: number; field?: string };

/** Bad input data (a malformed file, an impossible value). Names where: file:line, field. */
export class InputError extends Error {
  override name = 'InputError';
  readonly where: InputLocation;
  constructor(message: string, where: InputLocation = {}) {
    super(message);
    this.where = where;
  }
  /** `file:line field: message` as one line. */
  describe(): string {
    const { file, line, field } = this.where;
    const place = [file ? (line ? `${file}:${line}` : file) : '', field ? `field ${field}` : '']
      .filter(Boolean)
      .join(', ');
    return place ? `${place}: ${this.message}` : this.message;
  }
}

/** A symbol, series or basket that is not in the store. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}
