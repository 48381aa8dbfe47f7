import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishState } from '../data/store/publish-state.js';
import { InputError } from '../shared/errors.js';

/**
 * One journal line: the server accepted attempt `attempt` of outbox row `id` at `atMs`, saying `detail`
 * (`accepted`); or that attempt was about to become acceptable, the message on the wire and its end-of-data
 * terminator next (`in-doubt`: written before the terminator, so a kill before the matching `accepted` line leaves
 * the server's answer unknown).
 */
export type Ack = {
  id: string;
  attempt: number;
  detail: string;
  atMs: number;
  state: 'accepted' | 'in-doubt';
};

function ackOf(value: unknown): Ack | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v['id'] !== 'string' || typeof v['detail'] !== 'string') return null;
  if (!Number.isInteger(v['attempt']) || !Number.isFinite(v['atMs'])) return null;
  // A line without a state is an acceptance (the journal's first format).
  const state = v['state'] ?? 'accepted';
  if (state !== 'accepted' && state !== 'in-doubt') return null;
  return {
    id: v['id'],
    attempt: v['attempt'] as number,
    detail: v['detail'],
    atMs: v['atMs'] as number,
    state,
  };
}

/**
 * The outbox's journal (docs/publish.md, "The window"): the outbox appends an `in-doubt` line with one plain write()
 * before a message can be accepted (before the SMTP terminator, before the webhook request) and an `accepted` line
 * right after the server accepts it (SMTP 250, webhook 2xx), before it marks the row sent in the store (a commit:
 * milliseconds). A SIGKILL leaves the lines in the page cache; the next send pass replays them into the store:
 * accepted rows are not sent again, rows left in doubt are recorded as such and sent again with the same id. No
 * fsync: power loss is not covered.
 */
export class AckJournal {
  readonly path: string;
  private fd: number | null = null;
  constructor(path: string) {
    this.path = path;
  }

  /**
   * The acknowledgements in the file, in order. A last line without its newline (the process was killed in the
   * middle of writing it) is ignored; any other line that is not an acknowledgement is an error naming file:line.
   */
  read(): Ack[] {
    if (!existsSync(this.path)) return [];
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    lines.pop(); // '' after the last newline, or the half-written last line
    return lines.map((line, i) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = null;
      }
      const ack = ackOf(parsed);
      if (!ack)
        throw new InputError('is not an outbox journal line ({"id","attempt","detail","atMs","state"})', {
          file: this.path,
          line: i + 1,
        });
      return ack;
    });
  }

  /** Appends one line with a single synchronous write() (no fsync). */
  append(ack: Ack): void {
    this.fd ??= openSync(this.path, 'a');
    const { id, attempt, detail, atMs, state } = ack;
    const line = `${JSON.stringify({ id, attempt, detail, atMs, state })}\n`;
    writeSync(this.fd, line);
  }

  /** Empties the file (only once what it held is committed to the store). */
  clear(): void {
    if (existsSync(this.path)) truncateSync(this.path, 0);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Where a store's journal lives: beside a DuckDB file (`<db>.outbox-acks`); for PostgreSQL in the folder the run
 * keeps its state in (the archive folder), named by the store's (redacted) address so two databases never share
 * one. An in-memory store has none (nothing of it survives a kill).
 */
export function ackJournalPath(
  store: { engine: 'duckdb' | 'postgres'; location: string },
  stateDir: string,
): string | null {
  if (store.engine === 'duckdb')
    return store.location === ':memory:' ? null : `${store.location}.outbox-acks`;
  const tag = createHash('sha256').update(store.location).digest('hex').slice(0, 12);
  return join(stateDir, `outbox-acks-${tag}`);
}

/**
 * Replays the journal into the store in one transaction, and empties it only after that commit: a row with an
 * acceptance is marked sent; a row left in doubt (its message was on the wire, no acceptance followed: the run was
 * killed between) has that attempt recorded as `in-doubt` and stays pending, so it is sent again with the same
 * Message-ID or Idempotency-Key. Idempotent: a row already marked, or an attempt already recorded, is left as it
 * is. Returns the rows marked sent and the ids found in doubt.
 */
export async function replayAcks(
  journal: AckJournal,
  state: PublishState,
): Promise<{ marked: number; inDoubt: string[] }> {
  const acks = journal.read();
  const result = acks.length > 0 ? await state.applyJournal(acks) : { marked: 0, inDoubt: [] };
  journal.clear();
  return result;
}
