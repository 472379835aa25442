import { mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DatabaseSync, type DatabaseSyncInstance, type StatementSyncInstance } from '@photostructure/sqlite';
import {
  MINUTES_KEPT_S,
  SECONDS_KEPT_S,
  type HistoryBucket,
  type HistoryMinute,
  type MinuteTop,
  type Outage,
  type Stats,
  type TrafficSecond,
} from '../../contract/index.ts';
import { overlaps, type HistoryStore } from '../../core/history/history-store.ts';
import { WriteHealth, type WriteHooks } from '../../core/store/write-health.ts';

export const HISTORY_FILE = 'history.sqlite';
/** Buffered writes go to the database this often (and before a read, and on close). */
export const HISTORY_FLUSH_MS = 5_000;
/** While the database cannot be written, what waits for it is bounded: the last hour of seconds, a day of minutes. */
const PENDING_SECONDS = 3_600;
const PENDING_MINUTES = 1_440;
const PENDING_OUTAGES = 200;
const SCHEMA_VERSION = 1;
/**
 * The database never grows past this (SQLite's `max_page_count`): the retention keeps it well
 * under (docs/decisions.md, "History"); past it, writes fail like on a full disk (reported, kept
 * in memory, bounded) until pruning frees pages.
 */
export const HISTORY_MAX_BYTES = 512 * 1024 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS seconds (t INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS minutes (t INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tops (t INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS hours (t INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hour_tops (t INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS traffic (t INTEGER PRIMARY KEY, hits INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outages (id TEXT PRIMARY KEY, from_ms INTEGER NOT NULL, to_ms INTEGER, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outages_from ON outages (from_ms);
`;

type Statements = Record<
  | 'second'
  | 'minute'
  | 'top'
  | 'hourTop'
  | 'hour'
  | 'readHours'
  | 'outage'
  | 'trafficSecond'
  | 'readTraffic'
  | 'readSeconds'
  | 'readMinutes'
  | 'readTops'
  | 'readHourTops'
  | 'readOutages',
  StatementSyncInstance
>;

interface Row {
  t: number;
  body: string | Uint8Array;
}

/** Zipped JSON: top lists are the bulk of the file and shrink 3–4×. */
const pack = (value: unknown) => deflateRawSync(JSON.stringify(value));
const unpack = (body: string | Uint8Array) =>
  JSON.parse(typeof body === 'string' ? body : inflateRawSync(body).toString('utf8')) as unknown;

/** Entries of `extra` replace those of `rows` with the same `t`; the result is sorted by `t`. */
function mergeByT<T extends { t: number }>(rows: T[], extra: readonly T[], fromS: number, toS: number): T[] {
  const mine = extra.filter((e) => e.t >= fromS && e.t < toS);
  if (mine.length === 0) return rows;
  const byT = new Map(rows.map((r) => [r.t, r]));
  for (const e of mine) byT.set(e.t, e);
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/**
 * The history in SQLite, `DATA_DIR/history.sqlite` (through `@photostructure/sqlite`, Node's own
 * `node:sqlite` API with prebuilt binaries: docs/architecture.md). Writes are buffered and go in one
 * transaction every `HISTORY_FLUSH_MS` (about 5 seconds, 3 minutes' worth a few times an hour: a
 * millisecond or two off the hot path). Top lists are stored zipped. Retention (`prune`): seconds
 * for `SECONDS_KEPT_S`, minutes, top lists and outages for `MINUTES_KEPT_S`; every row is bounded,
 * so the file stays under about 450 MB whatever the records (docs/decisions.md gives the
 * derivation; bench/RESULTS.md the size measured for a generated month).
 *
 * Never throws at the relay: a file that is not a database (or is damaged) is moved aside to
 * `history.sqlite.corrupt-<time>` and a new one begun (`unreadable` says so); a database that
 * cannot be opened or written leaves the history in memory (bounded: an hour of seconds, a day of
 * minutes), reported once through `hooks`, and every flush tries again until it works.
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly path: string;
  readonly unreadable: string | undefined;
  private db: DatabaseSyncInstance | undefined;
  private statements: Statements | undefined;
  private readonly health: WriteHealth;
  private readonly pending = {
    seconds: [] as Stats[],
    minutes: [] as HistoryMinute[],
    tops: [] as MinuteTop[],
    hourTops: [] as MinuteTop[],
    hours: [] as HistoryBucket[],
    outages: new Map<string, Outage>(),
    traffic: new Map<number, number>(),
  };
  private pruneBefore: number | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly maxBytes: number;

  constructor(
    private readonly dataDir: string,
    options: { hooks?: WriteHooks; flushMs?: number; maxBytes?: number } = {},
  ) {
    this.maxBytes = options.maxBytes ?? HISTORY_MAX_BYTES;
    this.path = join(dataDir, HISTORY_FILE);
    this.health = new WriteHealth(`the history (${HISTORY_FILE})`, options.hooks);
    // Nothing is reported before the relay exists: a database that cannot be opened now is
    // reported by the first flush, which tries again.
    const opened = this.open(false);
    if (opened === 'damaged') {
      const aside = `${this.path}.corrupt-${Date.now()}`;
      try {
        this.db?.close();
        this.db = undefined;
        renameSync(this.path, aside);
        this.unreadable = `${this.path} was not a readable SQLite database; it was moved to ${aside} and the history starts empty`;
      } catch (error) {
        this.unreadable = `${this.path} is not a readable SQLite database and could not be moved aside (${String(error)}); the history is kept in memory`;
      }
      this.open(false);
    }
    this.timer = setInterval(() => this.flush(), options.flushMs ?? HISTORY_FLUSH_MS);
    this.timer.unref();
  }

  /** Opens (or creates) the database; 'damaged' when the file is there but is not a usable database. */
  private open(report: boolean): 'ok' | 'damaged' | 'failed' {
    let db: DatabaseSyncInstance | undefined;
    try {
      mkdirSync(this.dataDir, { recursive: true });
      db = new DatabaseSync(this.path);
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 8388608;');
      db.exec('PRAGMA busy_timeout = 1000;');
      const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
      db.exec(`PRAGMA max_page_count = ${Math.max(16, Math.floor(this.maxBytes / pageSize))}`);
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version > SCHEMA_VERSION)
        throw new Error(`schema version ${version} is newer than this relay's ${SCHEMA_VERSION}`);
      db.exec(SCHEMA);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      this.statements = {
        second: db.prepare('INSERT OR REPLACE INTO seconds (t, body) VALUES (?, ?)'),
        minute: db.prepare('INSERT OR REPLACE INTO minutes (t, body) VALUES (?, ?)'),
        top: db.prepare('INSERT OR REPLACE INTO tops (t, body) VALUES (?, ?)'),
        hourTop: db.prepare('INSERT OR REPLACE INTO hour_tops (t, body) VALUES (?, ?)'),
        hour: db.prepare('INSERT OR REPLACE INTO hours (t, body) VALUES (?, ?)'),
        readHours: db.prepare('SELECT t, body FROM hours WHERE t >= ? AND t < ? ORDER BY t'),
        outage: db.prepare('INSERT OR REPLACE INTO outages (id, from_ms, to_ms, body) VALUES (?, ?, ?, ?)'),
        trafficSecond: db.prepare('INSERT OR REPLACE INTO traffic (t, hits) VALUES (?, ?)'),
        readTraffic: db.prepare('SELECT t, hits FROM traffic WHERE t >= ? AND t < ? ORDER BY t'),
        readSeconds: db.prepare('SELECT t, body FROM seconds WHERE t >= ? AND t < ? ORDER BY t'),
        readMinutes: db.prepare('SELECT t, body FROM minutes WHERE t >= ? AND t < ? ORDER BY t'),
        readTops: db.prepare('SELECT t, body FROM tops WHERE t >= ? AND t < ? ORDER BY t'),
        readHourTops: db.prepare('SELECT t, body FROM hour_tops WHERE t >= ? AND t < ? ORDER BY t'),
        readOutages: db.prepare(
          'SELECT body FROM outages WHERE from_ms < ? AND (to_ms IS NULL OR to_ms >= ?) ORDER BY from_ms',
        ),
      };
      this.db = db;
      return 'ok';
    } catch (error) {
      this.statements = undefined;
      this.db = undefined;
      try {
        db?.close();
      } catch {
        // Already unusable.
      }
      if (report) this.health.failed(error);
      return isDamaged(error) ? 'damaged' : 'failed';
    }
  }

  /** Bytes on disk: the database and its write-ahead log. */
  sizeOnDisk(): number {
    let bytes = 0;
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        bytes += statSync(this.path + suffix).size;
      } catch {
        // Absent.
      }
    }
    return bytes;
  }

  private read<T extends { t: number }>(
    statement: keyof Statements,
    fromS: number,
    toS: number,
    pending: readonly T[],
  ): T[] {
    this.flush();
    let rows: T[] = [];
    const s = this.statements?.[statement];
    if (s) {
      try {
        rows = (s.all(fromS, toS) as unknown as Row[]).map((row) => unpack(row.body) as T);
      } catch {
        // A damaged page: what could not be read is missing from the answer; writes report the damage.
      }
    }
    return mergeByT(rows, pending, fromS, toS);
  }

  seconds(fromS: number, toS: number): Stats[] {
    return this.read('readSeconds', fromS, toS, this.pending.seconds);
  }

  secondsJson(fromS: number, toS: number): string[] {
    this.flush();
    let rows: Row[] = [];
    try {
      const statement = this.statements?.readSeconds;
      if (statement) rows = statement.all(fromS, toS) as Row[];
    } catch {
      // As in `read`.
    }
    const waiting = this.pending.seconds.filter((x) => x.t >= fromS && x.t < toS);
    if (waiting.length === 0) return rows.map((r) => r.body as string);
    const byT = new Map(rows.map((r) => [r.t, r.body as string]));
    for (const x of waiting) byT.set(x.t, JSON.stringify(x));
    return [...byT].sort((a, b) => a[0] - b[0]).map(([, body]) => body);
  }

  minutes(fromS: number, toS: number): HistoryMinute[] {
    return this.read('readMinutes', fromS, toS, this.pending.minutes);
  }

  tops(fromS: number, toS: number): MinuteTop[] {
    return this.read('readTops', fromS, toS, this.pending.tops);
  }

  hourTops(fromS: number, toS: number): MinuteTop[] {
    return this.read('readHourTops', fromS, toS, this.pending.hourTops);
  }

  hours(fromS: number, toS: number): HistoryBucket[] {
    return this.read('readHours', fromS, toS, this.pending.hours);
  }

  traffic(fromS: number, toS: number): TrafficSecond[] {
    this.flush();
    let rows: { t: number; hits: number }[] = [];
    try {
      rows = (this.statements?.readTraffic.all(fromS, toS) ?? []) as { t: number; hits: number }[];
    } catch {
      // As in `read`.
    }
    const waiting = [...this.pending.traffic].map(([t, hits]) => ({ t, hits }));
    return mergeByT(
      rows.map((r) => ({ t: r.t, hits: r.hits })),
      waiting,
      fromS,
      toS,
    );
  }

  outages(fromS: number, toS: number): Outage[] {
    this.flush();
    const byId = new Map<string, Outage>();
    try {
      const rows = (this.statements?.readOutages.all(toS * 1000, fromS * 1000) ?? []) as unknown as { body: string }[];
      for (const row of rows) {
        const outage = JSON.parse(row.body) as Outage;
        byId.set(outage.id, outage);
      }
    } catch {
      // As in `read`.
    }
    for (const outage of this.pending.outages.values()) if (overlaps(outage, fromS, toS)) byId.set(outage.id, outage);
    return [...byId.values()].sort((a, b) => a.from - b.from);
  }

  addSecond(stats: Stats): void {
    this.pending.seconds.push(stats);
  }

  addMinute(minute: HistoryMinute, top: MinuteTop | undefined): void {
    this.pending.minutes.push(minute);
    if (top) this.pending.tops.push(top);
  }

  addHourTop(top: MinuteTop): void {
    this.pending.hourTops.push(top);
  }

  addHour(hour: HistoryBucket): void {
    this.pending.hours.push(hour);
  }

  putOutages(outages: readonly Outage[]): void {
    for (const outage of outages) this.pending.outages.set(outage.id, outage);
  }

  putTraffic(seconds: readonly TrafficSecond[]): void {
    for (const second of seconds) this.pending.traffic.set(second.t, second.hits);
  }

  prune(nowS: number): void {
    this.pruneBefore = nowS;
  }

  /** Writes what is buffered in one transaction; on failure keeps it (bounded) for the next try. */
  flush(): void {
    if (this.closed) return;
    const p = this.pending;
    const nothing =
      p.seconds.length +
        p.minutes.length +
        p.tops.length +
        p.hourTops.length +
        p.hours.length +
        p.outages.size +
        p.traffic.size ===
        0 && this.pruneBefore === undefined;
    if (nothing) return;
    if (!this.db && this.open(true) !== 'ok') {
      this.bound();
      return;
    }
    const db = this.db!;
    const s = this.statements!;
    const before = this.pruneBefore;
    if (before !== undefined) {
      // What waits and is already past the retention is not written at all.
      p.seconds = p.seconds.filter((x) => x.t >= before - SECONDS_KEPT_S);
      p.minutes = p.minutes.filter((x) => x.t >= before - MINUTES_KEPT_S);
      p.tops = p.tops.filter((x) => x.t >= before - MINUTES_KEPT_S);
      p.hourTops = p.hourTops.filter((x) => x.t >= before - MINUTES_KEPT_S);
      p.hours = p.hours.filter((x) => x.t >= before - MINUTES_KEPT_S);
    }
    try {
      db.exec('BEGIN');
      try {
        // Deletes first: on a full database they make the room the inserts need.
        if (before !== undefined) {
          db.prepare('DELETE FROM seconds WHERE t < ?').run(before - SECONDS_KEPT_S);
          db.prepare('DELETE FROM traffic WHERE t < ?').run(before - SECONDS_KEPT_S);
          for (const table of ['minutes', 'tops', 'hour_tops', 'hours']) {
            db.prepare(`DELETE FROM ${table} WHERE t < ?`).run(before - MINUTES_KEPT_S);
          }
          db.prepare('DELETE FROM outages WHERE to_ms IS NOT NULL AND to_ms < ?').run((before - MINUTES_KEPT_S) * 1000);
        }
        for (const x of p.seconds) s.second.run(x.t, JSON.stringify(x));
        for (const x of p.minutes) s.minute.run(x.t, JSON.stringify(x));
        for (const x of p.tops) s.top.run(x.t, pack(x));
        for (const x of p.hourTops) s.hourTop.run(x.t, pack(x));
        for (const x of p.hours) s.hour.run(x.t, JSON.stringify(x));
        for (const x of p.outages.values()) s.outage.run(x.id, x.from, x.to ?? null, JSON.stringify(x));
        for (const [t, hits] of p.traffic) s.trafficSecond.run(t, hits);
        db.exec('COMMIT');
      } catch (error) {
        // SQLite may have rolled back already (a full database does): the first error is the one to tell.
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
      p.seconds = [];
      p.minutes = [];
      p.tops = [];
      p.hourTops = [];
      p.hours = [];
      p.outages.clear();
      p.traffic.clear();
      this.pruneBefore = undefined;
      this.health.succeeded();
    } catch (error) {
      this.health.failed(error);
      this.bound();
    }
  }

  /** What waits for an unwritable database stays bounded: the newest entries are kept. */
  private bound(): void {
    const p = this.pending;
    if (p.seconds.length > PENDING_SECONDS) p.seconds = p.seconds.slice(-PENDING_SECONDS);
    if (p.minutes.length > PENDING_MINUTES) p.minutes = p.minutes.slice(-PENDING_MINUTES);
    if (p.tops.length > 60) p.tops = p.tops.slice(-60);
    if (p.hourTops.length > 24) p.hourTops = p.hourTops.slice(-24);
    if (p.hours.length > 24) p.hours = p.hours.slice(-24);
    for (const id of p.outages.keys()) {
      if (p.outages.size <= PENDING_OUTAGES) break;
      p.outages.delete(id);
    }
    // Seconds on Adobe's clock: the newest hour (keys are seconds; late hits may refill older ones).
    if (p.traffic.size > PENDING_SECONDS) {
      const newest = [...p.traffic.keys()].sort((a, b) => b - a)[PENDING_SECONDS - 1]!;
      for (const t of p.traffic.keys()) if (t < newest) p.traffic.delete(t);
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.timer);
    try {
      this.db?.close();
    } catch {
      // Closing what is already broken.
    }
    this.db = undefined;
  }
}

/** SQLite said the file is not a database, or is damaged. */
function isDamaged(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? error);
  return /not a database|malformed|corrupt|SQLITE_NOTADB|SQLITE_CORRUPT|newer than this relay/i.test(text);
}
