import { UsageError } from '../shared/errors.js';

/**
 * The one parser of a positive whole number typed by a user (a flag value, a query parameter, a config value).
 * `label` names what was typed, as the caller's user knows it (`--window`, `lookback`); the message quotes the
 * value. Throws UsageError (exit code 2 at the CLI).
 */
export function parsePositiveInt(label: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${label} "${text}" is not a positive whole number`);
  return n;
}
