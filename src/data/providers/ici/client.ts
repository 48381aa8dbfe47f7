import { read, utils } from '@e965/xlsx';
import { InputError } from '../../../shared/errors.js';
import { ProviderError, type HttpBytesResponse, type HttpClient } from '../http.js';
import { toIciSheet, type IciSheet } from './map.js';
import { ICI_FILES, IciSheetRows, type IciFileKind } from './schema.js';

export const ICI_DEFAULT_URL = 'https://www.ici.org';

/** The workbook of one kind and year at ICI's fixed address (`https://www.ici.org/flows_data_2026.xls`). */
export function iciUrl(origin: string, kind: IciFileKind, year: number): string {
  return `${origin}/${iciFileName(kind, year)}`;
}

export const iciFileName = (kind: IciFileKind, year: number): string =>
  `${ICI_FILES[kind].prefix}_${year}.xls`;

/** Compound File (BIFF8 .xls) and ZIP (.xlsx) signatures: anything else (an HTML page) is refused unread. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

/**
 * Reads an ICI workbook's bytes into its flow sheet (the sheet named in ICI_FILES, else the first). SheetJS reads
 * cell values only (no formulas, styles or HTML). Throws InputError naming the file, sheet row and column.
 */
export function parseIciWorkbook(bytes: Uint8Array, kind: IciFileKind, file: string): IciSheet {
  if (!startsWith(bytes, OLE) && !startsWith(bytes, ZIP)) {
    const head = new TextDecoder('utf-8', { fatal: false })
      .decode(bytes.subarray(0, 40))
      .replace(/\s+/g, ' ');
    throw new InputError(`not an Excel workbook (it starts "${head.trim()}")`, { file });
  }
  let wb;
  try {
    wb = read(bytes, {
      type: 'buffer',
      cellFormula: false,
      cellHTML: false,
      cellText: false,
      cellStyles: false,
    });
  } catch (e) {
    throw new InputError(`unreadable workbook (${(e as Error).message})`, { file });
  }
  const want = ICI_FILES[kind].sheet;
  const name = wb.SheetNames.find((n) => n.trim().toLowerCase() === want.toLowerCase()) ?? wb.SheetNames[0];
  const sheet = name ? wb.Sheets[name] : undefined;
  if (!sheet) throw new InputError('the workbook has no sheet', { file });
  const rows = IciSheetRows.parse(
    utils.sheet_to_json(sheet, { header: 1, raw: true, defval: null, blankrows: true }),
  );
  return toIciSheet(rows, kind, `${file} (sheet "${name}")`);
}

/** A response as an ICI sheet; HTTP errors and bad layouts as ProviderError. */
export function parseIciResponse(res: HttpBytesResponse, kind: IciFileKind, file: string): IciSheet {
  if (res.status === 404) throw new ProviderError('ici', 'not-found', `${file}: not published (HTTP 404)`);
  if (res.status >= 400) throw new ProviderError('ici', 'http', `${file}: HTTP ${res.status}`);
  try {
    return parseIciWorkbook(res.bytes, kind, file);
  } catch (e) {
    if (e instanceof InputError) throw new ProviderError('ici', 'schema-mismatch', e.describe());
    throw e;
  }
}

/** ICI's weekly flow workbooks (no API: static files). */
export class IciClient {
  readonly name = 'ici' as const;
  readonly origin: string;
  private readonly http: HttpClient;

  constructor(http: HttpClient, origin: string) {
    this.http = http;
    this.origin = origin;
  }

  async fetchSheet(kind: IciFileKind, year: number): Promise<{ file: string; sheet: IciSheet }> {
    const file = iciFileName(kind, year);
    const sheet = await this.http.getBytes(iciUrl(this.origin, kind, year), (res) =>
      parseIciResponse(res, kind, file),
    );
    return { file, sheet };
  }
}
