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

/** The one parser of a positive number (a threshold such as `--jump 0.25`): finite and above zero. */
export function parsePositiveNumber(label: string, text: string, hint?: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${label} "${text}" is not a positive number`, hint);
  return n;
}
