/**
 * rotation.config.json: the universe to sync, baskets and themes, benchmark choices, provider order and limits.
 * Validated with a schema; unknown keys are an error naming the key. Every field has a default, so an absent file
 * (or `{}`) means the defaults (config-defaults.ts). The schema and its parser (config-schema.ts) load only
 * when a file is read.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../shared/errors.js';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_FILE } from './config-defaults.js';
import type { Config } from './config-schema.js';
import { readTextCapped } from './files.js';

export type { BasketConfig, Config } from './config-schema.js';
export { DEFAULT_CONFIG, MAG7, SECTOR_SPDRS } from './config-defaults.js';

/** Largest config file read: a real one is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Loads `path` (or ./rotation.config.json when it exists; else the defaults). */
export async function loadConfig(path?: string): Promise<Config> {
  const file = resolve(path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path) throw new InputError('config file not found', { file: path });
    return DEFAULT_CONFIG;
  }
  const text = readTextCapped(file, MAX_CONFIG_BYTES, 'a config file');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file });
  }
  const { parseConfig } = await import('./config-schema.js');
  return parseConfig(doc, file);
}
