/** What `rotation import` takes and reports per file (data/ingest/import.ts). */
import { type FileProgress } from './engine.js';
import type { CloseBasis, InstrumentKind } from '../../shared/domain.js';
import type { ImportReason } from '../../shared/reasons.js';

export type ImportOptions = {
  /** --symbol: override the symbol (single-symbol files) or the series id (single-series files). */
  symbol?: string;
  /** --kind: the instrument kind recorded for the imported symbols. */
  kind?: InstrumentKind;
  /** --as-of: the vintage recorded for observations. */
  asOf?: string;
  /** --dry-run: validate and count, write nothing. */
  dryRun?: boolean;
  /** --replace: overwrite rows stored from another source. */
  replace?: boolean;
  /** Today in New York, YYYY-MM-DD: rows dated later are refused. */
  today: string;
  /** --basis: what the close column of every file holds (wins over `basisRules`). */
  basis?: CloseBasis;
  /** The config's `imports.basis` entries: per folder or file, what its close columns hold. */
  basisRules?: readonly { path: string; basis: CloseBasis }[];
  onProgress?: (done: number, total: number, file: string) => void;
  /** Progress inside a large delimited file: bytes read, then its rows (see FileProgress). */
  onFileProgress?: (file: string, p: FileProgress) => void;
};

export type FileOutcome =
  | {
      ok: true;
      file: string;
      /** `imported` or `unchanged` (src/shared/reasons.ts; the CLI's words are in src/cli/reasons.ts). */
      reason: Extract<ImportReason, 'imported' | 'unchanged'>;
      layout: string;
      table: 'bars' | 'observations';
      symbols: string[];
      added: number;
      updated: number;
      unchanged: number;
      keptFromOtherSource: number;
      firstDate: string | null;
      lastDate: string | null;
      rows: number;
      warnings: string[];
    }
  | {
      ok: false;
      file: string;
      /** Why it failed or was skipped, as a code (src/shared/reasons.ts); `error` says it in words. */
      reason: Exclude<ImportReason, 'imported' | 'unchanged'>;
      error: string;
      line?: number;
      field?: string;
      /** True for a file met while walking a folder that is not a time series: reported, not a failure. */
      skipped?: true;
    };

export type Success = Extract<FileOutcome, { ok: true }>;

export type Body = Omit<Success, 'ok' | 'file' | 'reason'>;
