import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../shared/errors.js';

let counter = 0;

/**
 * Writes `body` to `path` atomically: into a temporary file beside it, flushed, then renamed over the target, so
 * a crash or a full disk mid-write leaves the previous file whole (a reader sees the old file or the new one,
 * never half of one). The temporary file is removed on every failure. Refuses targets that are not regular
 * files (`/proc/…`, devices, folders), which would otherwise never finish or never hold the output.
 */
export function writeFileAtomic(path: string, body: string | Uint8Array): void {
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(path);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isFile())
    throw new InputError('is not a regular file; choose a file in a normal folder', { file: path });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx');
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (e as { code?: string }).code;
    throw new InputError(`cannot write the file (${code ?? (e as Error).message})`, { file: path });
  }
}

/**
 * Creates a folder and its missing parents, one level at a time. Node's `mkdirSync(…, { recursive: true })`
 * never returns for some paths (`/proc/x` spins at 100% CPU); this gives a clear error instead.
 */
export function ensureDir(path: string): void {
  const full = resolve(path);
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(full);
  } catch {
    st = undefined;
  }
  if (st) {
    if (!st.isDirectory()) throw new InputError('is not a folder', { file: path });
    return;
  }
  const parent = dirname(full);
  if (parent !== full) ensureDir(parent);
  try {
    mkdirSync(full);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST' && statSync(full).isDirectory()) return;
    throw new InputError(`cannot create the folder (${code ?? (e as Error).message})`, { file: path });
  }
}

/**
 * Reads a text file of at most `maxBytes`, refusing larger ones after reading `maxBytes + 1` bytes: works for
 * devices and pipes too (`/dev/zero` would otherwise be read until memory runs out).
 */
export function readTextCapped(path: string, maxBytes: number, what: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`cannot read the file (${(e as { code?: string }).code ?? (e as Error).message})`, {
      file: path,
    });
  }
  try {
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > maxBytes)
        throw new InputError(`is larger than ${maxBytes} bytes, the limit for ${what}`, { file: path });
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the file (${(e as { code?: string }).code ?? (e as Error).message})`, {
      file: path,
    });
  } finally {
    closeSync(fd);
  }
}
