/**
 * DuckDB's error texts ("IO Error: …", "Snappy decompression failure", "Invalid Input Error: …") in our words,
 * for the edges: the cause in one line, never DuckDB's class prefix or its option dumps. Null when the error is
 * not one bad input or a busy store can cause (a bug in our SQL stays an error with its stack).
 */
export function plainDuckDbCause(message: string): string | null {
  const m = /^([A-Z][A-Za-z ]*?) Error: ([\s\S]*)$/.exec(message.trim());
  if (!m) return null;
  const kind = m[1] as string;
  const rest = ((m[2] as string).split('\n')[0] ?? '').trim();
  if (/Conflicting lock|Could not set lock/i.test(rest))
    return 'the store is in use by another process; wait for it to finish, or stop it, then run again';
  if (/snappy|zstd|gzip|lz4|brotli|decompress|corrupt|magic bytes|footer|thrift|not a parquet/i.test(rest))
    return 'the file is corrupt or truncated (its data cannot be decoded)';
  if (/no space left/i.test(rest)) return 'the disk is full';
  if (/permission denied/i.test(rest)) return 'permission denied';
  if (/read-only mode/i.test(rest)) return 'the store was opened read-only';
  if (/unicode|utf-?8/i.test(rest)) return 'the file is not valid UTF-8 text';
  if (kind === 'IO')
    return `cannot read or write the file (${rest
      .replace(/"[^"]*"/g, '')
      .replace(/\s+/g, ' ')
      .slice(0, 120)})`;
  if (kind === 'Out of Memory') return 'not enough memory for this file';
  if (kind === 'Conversion' || kind === 'Invalid Input')
    return `a value cannot be read (${rest.replace(/\s+/g, ' ').slice(0, 120)})`;
  return null;
}
