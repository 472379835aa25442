import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { stringifyRecord } from '../../contract/index.ts';
import { ManualClock } from '../clock.ts';
import { FeedBatcher } from '../hub/feed.ts';
import { Ingest } from './ingest.ts';
import { Redactor } from './redact.ts';
import { StatsCollector } from '../stats/stats.ts';
import { ALL_RECORDS, excludedHit, pageViewMobile, timestampedHit, truncatedHit } from '../testing/records.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function setup(fields: string[] = ['ip'], clock = new ManualClock()) {
  const stats = new StatsCollector(1);
  const ingest = new Ingest({
    clock,
    redactor: new Redactor(fields),
    stats,
    feed: new FeedBatcher(1000, clock.now()),
    report: () => {},
  });
  return { ingest, stats, stream: ingest.decoder(0) };
}

/** Buffers outside the JS heap still referenced, after a full collection. */
function externalBytes(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

describe('Ingest', () => {
  it('keeps the records’ bytes, never the chunks they came in', () => {
    const { ingest, stream } = setup();
    const before = externalBytes();
    // Each tiny record in its own 60 KB chunk (the rest of the chunk an empty record of spaces).
    for (let i = 0; i < 2000; i++) {
      const chunk = Buffer.alloc(60 * 1024, 0x20);
      chunk.write(`{"hitIdHigh":${i},"hitIdLow":7,"pageName":"p"}\r\n`, 0);
      chunk.write('\r\n', chunk.length - 2);
      stream.push(chunk);
    }
    expect(ingest.counters.hits).toBe(2000);
    // 2,000 chunks of 60 KB went through (117 MB); the records are ~90 KB together.
    expect(externalBytes() - before).toBeLessThan(8 * 1024 * 1024);
    expect(ingest.hit('1999-7')).toBe('{"hitIdHigh":1999,"hitIdLow":7,"pageName":"p"}');
  });

  it('holds at most 64 MiB of full records, whatever their size', () => {
    const { ingest, stream } = setup();
    const before = externalBytes();
    const pad = 'x'.repeat(200 * 1024);
    // 400 records of 200 KB (80 MB), each line arriving in 16 KiB chunks as gunzip gives them.
    for (let i = 0; i < 400; i++) {
      const bytes = Buffer.from(`{"hitIdHigh":${i},"hitIdLow":1,"pad":"${pad}"}\n`);
      for (let at = 0; at < bytes.length; at += 16 * 1024) stream.push(bytes.subarray(at, at + 16 * 1024));
    }
    expect(ingest.counters.hits).toBe(400);
    expect(externalBytes() - before).toBeLessThanOrEqual(66 * 1024 * 1024);
    expect(ingest.hit('399-1')).toContain(pad);
    expect(ingest.hit('0-1')).toBeUndefined();
  });

  it('counts a record longer than the limit as malformed and keeps nothing of it', () => {
    const { ingest, stream } = setup();
    stream.push(
      Buffer.from(
        `{"hitIdHigh":1,"hitIdLow":1,"pad":"${'x'.repeat(1024 * 1024)}"}\r\n{"hitIdHigh":2,"hitIdLow":2}\r\n`,
      ),
    );
    expect(ingest.counters).toMatchObject({ hits: 1, malformed: 1 });
    expect(ingest.hit('1-1')).toBeUndefined();
    expect(ingest.malformedSamples()[0]).toMatch(/^\{"hitIdHigh":1,"hitIdLow":1,"pad":"x+…$/);
  });

  it('answers the full hit of a record nested 100,000 deep, masked, every other byte as received', () => {
    const { ingest, stream } = setup(['ip', 'evars.evars.eVar5']);
    const arrays = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const objects = `${'{"a":'.repeat(5_000)}{"ip":"kept"}${'}'.repeat(5_000)}`;
    const line = (ip: string, eVar5: string) =>
      `{"hitIdHigh":18446744073709551615,"hitIdLow":3,"ip" : ${ip},"deep":${arrays},"objects":${objects},` +
      `"evars":{"evars":{"eVar5":${eVar5},"eVar1":"x"}},"visIdHigh":9007199254740993}`;
    stream.push(Buffer.from(`${line('"203.0.113.42"', '"a@b.c"')}\r\n`));
    expect(ingest.counters).toMatchObject({ hits: 1, malformed: 0 });
    expect(ingest.hit('18446744073709551615-3')).toBe(line('"203.0.113.xxx"', '"[redacted]"'));
  });

  it('treats 00001 and 1 as the same hit, and finds it by either spelling', () => {
    const { ingest, stream } = setup();
    stream.push(Buffer.from('{"hitIdHigh":"00001","hitIdLow":"0002","n":1}\n{"hitIdHigh":1,"hitIdLow":2,"n":2}\n'));
    expect(ingest.counters).toMatchObject({ hits: 1, duplicates: 1 });
    expect(ingest.hit('1-2')).toBe('{"hitIdHigh":"00001","hitIdLow":"0002","n":1}');
    expect(ingest.hit('0001-00002')).toBe(ingest.hit('1-2'));
  });

  it('counts excluded and truncated hits and those later than Adobe’s 5 minutes, and spreads visitors', () => {
    // The samples were received by Adobe at about 1,776,160,000 s; the relay reads them 6 minutes on.
    const clock = new ManualClock((pageViewMobile.receivedTimeGMT + 360) * 1000);
    const { ingest, stats, stream } = setup(['ip'], clock);
    stream.push(Buffer.from(ALL_RECORDS.map((r) => `${stringifyRecord(r)}\r\n`).join('')));
    expect(ingest.counters).toMatchObject({ hits: 8, excluded: 1, truncated: 1, lagAboveBand: 8 });
    const second = stats.tick(Math.floor(clock.now() / 1000), 0, true);
    expect(second).toMatchObject({ excluded: 1, truncated: 1, timestamped: 1, lagAboveBand: 8 });
    // Seven distinct visitors (the truncated hit is the mobile page view's visitor).
    stats.tick(Math.floor(clock.now() / 1000) + 10, 0, true);
    expect(stats.top(60, clock.now())!.shards).toEqual([{ hits: 8, visitors: 7 }]);
    expect([excludedHit, truncatedHit, timestampedHit].every((r) => ingest.hit(`${r.hitIdHigh}-${r.hitIdLow}`))).toBe(
      true,
    );
  });
});
