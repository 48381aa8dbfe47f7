/**
 * Versioned schema migrations, applied in order when a store is opened, one list for both engines (DuckDB and
 * PostgreSQL): portable SQL only (VARCHAR, DOUBLE PRECISION, DATE, TIMESTAMP, BIGINT, sequences). Never change what
 * a released migration creates: add a new one. Each runs in its own transaction with its row in schema_migrations.
 */
export type Migration = {
  version: number;
  name: string;
  sql: string;
  /** What the migration runs on DuckDB instead of `sql`, when the engines need different DDL (migration 7). */
  duckdbSql?: string;
};

/** Migration 9's first part on both engines: the stamps, one per (source, ingested_at) of the stored bars. */
const BAR_STAMPS = `
      CREATE SEQUENCE bar_stamp_id START 1;
      CREATE TABLE bar_stamps (
        stamp       INTEGER PRIMARY KEY,
        source      VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL
      );
      INSERT INTO bar_stamps (stamp, source, ingested_at)
        SELECT -row_number() OVER (ORDER BY ingested_at, source), source, ingested_at
        FROM (SELECT DISTINCT source, ingested_at FROM bars) d;
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE instruments (
        symbol    VARCHAR PRIMARY KEY,
        name      VARCHAR,
        kind      VARCHAR NOT NULL CHECK (kind IN ('index', 'etf', 'stock', 'basket', 'series')),
        sector    VARCHAR,
        currency  VARCHAR NOT NULL DEFAULT 'USD',
        exchange  VARCHAR
      );
      CREATE TABLE bars (
        symbol      VARCHAR NOT NULL,
        date        DATE NOT NULL,
        open        DOUBLE PRECISION,
        high        DOUBLE PRECISION,
        low         DOUBLE PRECISION,
        close       DOUBLE PRECISION NOT NULL,
        adj_close   DOUBLE PRECISION,
        volume      DOUBLE PRECISION,
        source      VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        PRIMARY KEY (symbol, date)
      );
      CREATE TABLE corporate_actions (
        symbol      VARCHAR NOT NULL,
        date        DATE NOT NULL,
        kind        VARCHAR NOT NULL CHECK (kind IN ('split', 'dividend')),
        value       DOUBLE PRECISION NOT NULL,
        source      VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        PRIMARY KEY (symbol, date, kind)
      );
      CREATE TABLE observations (
        series      VARCHAR NOT NULL,
        period      VARCHAR NOT NULL,
        value       DOUBLE PRECISION NOT NULL,
        unit        VARCHAR NOT NULL,
        as_of       DATE NOT NULL,
        source      VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        PRIMARY KEY (series, period, as_of)
      );
      CREATE SEQUENCE import_log_id START 1;
      CREATE TABLE import_log (
        id          BIGINT PRIMARY KEY DEFAULT nextval('import_log_id'),
        kind        VARCHAR NOT NULL CHECK (kind IN ('import', 'sync')),
        target      VARCHAR NOT NULL,
        symbol      VARCHAR,
        status      VARCHAR NOT NULL CHECK (status IN ('ok', 'failed', 'unchanged')),
        rows_added     BIGINT NOT NULL DEFAULT 0,
        rows_updated   BIGINT NOT NULL DEFAULT 0,
        rows_unchanged BIGINT NOT NULL DEFAULT 0,
        first_date  DATE,
        last_date   DATE,
        message     VARCHAR,
        started_at  TIMESTAMP NOT NULL,
        finished_at TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'observation notes',
    // Free text kept beside an observation vintage ("just under 10%"), so an approximate figure is never shown
    // with more precision than its source gave (docs/why.md).
    sql: `
      CREATE TABLE observation_notes (
        series VARCHAR NOT NULL,
        period VARCHAR NOT NULL,
        as_of  DATE NOT NULL,
        note   VARCHAR NOT NULL,
        PRIMARY KEY (series, period, as_of)
      );
    `,
  },
  {
    version: 3,
    name: 'observation known-at dates',
    // The day each observation vintage became public (docs/known-at.md): `--as-of D` reads only rows known on D.
    // Filled for existing rows right after this migration by Store.fillKnownAt (release rules live in core).
    sql: `ALTER TABLE observations ADD COLUMN known_at DATE;`,
  },
  {
    version: 4,
    name: 'publish state',
    // The daily run's state (docs/publish.md): run steps, the brief archive, subscribers, the outbox with one row
    // per recipient and message, its delivery log, alert state and events. Portable SQL (also PostgreSQL): TEXT,
    // BIGINT milliseconds since the epoch, ids made in JS, no sequences.
    sql: `
      CREATE TABLE run_steps (
        session     TEXT NOT NULL,
        step        TEXT NOT NULL,
        status      TEXT NOT NULL,
        message     TEXT,
        finished_ms BIGINT NOT NULL,
        PRIMARY KEY (session, step)
      );
      CREATE TABLE brief_archive (
        session    TEXT PRIMARY KEY,
        as_of      TEXT NOT NULL,
        headline   TEXT NOT NULL,
        summary    TEXT NOT NULL,
        html_path  TEXT NOT NULL,
        created_ms BIGINT NOT NULL
      );
      CREATE TABLE subscribers (
        address         TEXT PRIMARY KEY,
        status          TEXT NOT NULL,
        cadence         TEXT NOT NULL,
        alerts          BOOLEAN NOT NULL,
        created_ms      BIGINT NOT NULL,
        confirmed_ms    BIGINT,
        unsubscribed_ms BIGINT
      );
      CREATE TABLE editions (
        id          TEXT PRIMARY KEY,
        session     TEXT NOT NULL,
        kind        TEXT NOT NULL,
        subject     TEXT NOT NULL,
        html        TEXT NOT NULL,
        text        TEXT NOT NULL,
        attachments TEXT NOT NULL,
        body        TEXT NOT NULL,
        created_ms  BIGINT NOT NULL
      );
      CREATE TABLE outbox (
        id              TEXT PRIMARY KEY,
        session         TEXT NOT NULL,
        kind            TEXT NOT NULL,
        channel         TEXT NOT NULL,
        recipient       TEXT NOT NULL,
        edition         TEXT NOT NULL,
        status          TEXT NOT NULL,
        attempts        BIGINT NOT NULL,
        next_attempt_ms BIGINT NOT NULL,
        last_error      TEXT,
        created_ms      BIGINT NOT NULL,
        sent_ms         BIGINT
      );
      CREATE TABLE delivery_log (
        id        TEXT PRIMARY KEY,
        outbox_id TEXT NOT NULL,
        attempt   BIGINT NOT NULL,
        outcome   TEXT NOT NULL,
        detail    TEXT,
        at_ms     BIGINT NOT NULL
      );
      CREATE TABLE alert_state (
        rule    TEXT NOT NULL,
        subject TEXT NOT NULL,
        value   TEXT NOT NULL,
        session TEXT NOT NULL,
        PRIMARY KEY (rule, subject)
      );
      CREATE TABLE alert_events (
        id         TEXT PRIMARY KEY,
        rule       TEXT NOT NULL,
        session    TEXT NOT NULL,
        title      TEXT NOT NULL,
        payload    TEXT NOT NULL,
        created_ms BIGINT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'declared close basis',
    // What each symbol's stored close column holds, as declared at import (docs/import.md "Basis"): dividend-
    // adjusted closes or closes as traded. A symbol without a row was imported without a declaration.
    sql: `
      CREATE TABLE instrument_basis (
        symbol      VARCHAR PRIMARY KEY,
        basis       VARCHAR NOT NULL CHECK (basis IN ('adjusted', 'price')),
        declared_by VARCHAR NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'imported files',
    // What a bars file's last import left (issue 16): its size and SHA-256, the options and "today" it was imported
    // with, a fingerprint of the stored bars of its symbols right after, and its outcome (JSON). A re-import of the
    // same content, with the same options, into a store whose bars of those symbols still have that fingerprint,
    // is then known to change nothing and skips reading and checking the file again.
    sql: `
      CREATE TABLE imported_files (
        path        TEXT PRIMARY KEY,
        size        BIGINT NOT NULL,
        sha256      TEXT NOT NULL,
        options     TEXT NOT NULL,
        today       TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        outcome     TEXT NOT NULL,
        recorded_ms BIGINT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'bars without a primary key on DuckDB; imported files by stat identity',
    // Issue 16: DuckDB keeps a primary key in an ART index that every inserted row must enter (a bulk import paid
    // three times the load itself for it), and its planner never reads a composite key (every symbol read is a
    // filtered scan with zone maps either way). The writers keep (symbol, date) unique themselves: the checked
    // merge (duplicates dropped or refused, new rows inserted WHERE NOT EXISTS, in-memory batches refused when they
    // repeat a key) and the bulk path (ingest/fast-bars.ts: new symbols only, dates strictly ordered per symbol).
    // The rows are rewritten in (symbol, date) order, which is what the zone maps prune by. PostgreSQL keeps its
    // key: its planner uses the index for every symbol read.
    // Both engines: the re-import record keeps the file's stat identity, so that a first import no longer hashes
    // the whole file (ingest/stage-unchanged.ts).
    sql: 'ALTER TABLE imported_files ADD COLUMN identity TEXT',
    duckdbSql: `
      CREATE TABLE bars_unkeyed (
        symbol      VARCHAR NOT NULL,
        date        DATE NOT NULL,
        open        DOUBLE PRECISION,
        high        DOUBLE PRECISION,
        low         DOUBLE PRECISION,
        close       DOUBLE PRECISION NOT NULL,
        adj_close   DOUBLE PRECISION,
        volume      DOUBLE PRECISION,
        source      VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL
      );
      INSERT INTO bars_unkeyed SELECT symbol, date, open, high, low, close, adj_close, volume, source, ingested_at
        FROM bars ORDER BY symbol, date;
      DROP TABLE bars;
      ALTER TABLE bars_unkeyed RENAME TO bars;
      ALTER TABLE imported_files ADD COLUMN identity TEXT;
    `,
  },
  {
    version: 8,
    name: 'declared close basis per source',
    // What the closes of each (symbol, source file) hold, as declared when that file was imported
    // (docs/known-at.md "Basis"): a symbol whose rows come from an adjusted file and a raw one (IWM: etf_daily to
    // 2026-07-31, etf_recent_raw after) then knows the basis of each row range. Existing rows take their symbol's
    // declaration (migration 5), what the store believed before; a re-import of the files sets each source's own.
    sql: `
      CREATE TABLE source_basis (
        symbol      VARCHAR NOT NULL,
        source      VARCHAR NOT NULL,
        basis       VARCHAR NOT NULL CHECK (basis IN ('adjusted', 'price')),
        declared_by VARCHAR NOT NULL,
        PRIMARY KEY (symbol, source)
      );
      INSERT INTO source_basis (symbol, source, basis, declared_by)
        SELECT DISTINCT b.symbol, b.source, ib.basis, ib.declared_by
        FROM bars b JOIN instrument_basis ib ON ib.symbol = b.symbol;
    `,
  },
  {
    version: 9,
    name: 'bars carry the stamp of their write; source and ingested_at per stamp',
    // Issue 16: a bar's source and ingested_at are the same for every row one write stores (the file or provider,
    // the transaction's start), yet each row carried them: a VARCHAR and a TIMESTAMP per row cost a bulk import a
    // fifth of its time (0.5 s of DuckDB's 2.9 s on 5.1M rows, insert and checkpoint). A row now carries its
    // write's stamp (INTEGER) and bar_stamps holds the stamp's source and time. New stamps come from bar_stamp_id
    // (1, 2, ...), so a later write always has a greater one: barsFingerprint is the count and greatest stamp of
    // the rows. The rows stored before get stamps -1, -2, ... (one per source and time, oldest first).
    sql: `${BAR_STAMPS}
      ALTER TABLE bars ADD COLUMN stamp INTEGER;
      UPDATE bars SET stamp = k.stamp FROM bar_stamps k
        WHERE k.source = bars.source AND k.ingested_at = bars.ingested_at;
      ALTER TABLE bars ALTER COLUMN stamp SET NOT NULL;
      ALTER TABLE bars DROP COLUMN source;
      ALTER TABLE bars DROP COLUMN ingested_at;
    `,
    duckdbSql: `${BAR_STAMPS}
      CREATE TABLE bars_stamped (
        symbol      VARCHAR NOT NULL,
        date        DATE NOT NULL,
        open        DOUBLE PRECISION,
        high        DOUBLE PRECISION,
        low         DOUBLE PRECISION,
        close       DOUBLE PRECISION NOT NULL,
        adj_close   DOUBLE PRECISION,
        volume      DOUBLE PRECISION,
        stamp       INTEGER NOT NULL
      );
      INSERT INTO bars_stamped
        SELECT b.symbol, b.date, b.open, b.high, b.low, b.close, b.adj_close, b.volume, k.stamp
        FROM bars b JOIN bar_stamps k ON k.source = b.source AND k.ingested_at = b.ingested_at
        ORDER BY b.symbol, b.date;
      DROP TABLE bars;
      ALTER TABLE bars_stamped RENAME TO bars;
    `,
  },
];
