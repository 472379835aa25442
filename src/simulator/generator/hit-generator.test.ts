import { describe, expect, it } from 'vitest';
import { stringifyRecord, type HitRecord } from '../../contract/index.ts';
import { hitIdOf, summariseRecord } from '../../core/ingest/summary.ts';
import { createHitGenerator } from './hit-generator.ts';

const NOW = Date.UTC(2025, 4, 6, 19, 30);
const TWO_53 = 2n ** 53n;
const TWO_63 = 2n ** 63n;
const TWO_64 = 2n ** 64n;

function sample(count: number, seed = 1): HitRecord[] {
  const generator = createHitGenerator({ seed });
  return Array.from({ length: count }, (_, i) => generator.next(NOW + i * 10));
}

const share = (records: HitRecord[], test: (r: HitRecord) => boolean) => records.filter(test).length / records.length;

describe('createHitGenerator', () => {
  const records = sample(20_000);

  it('is deterministic for a seed', () => {
    expect(sample(200, 5)).toEqual(sample(200, 5));
    expect(sample(50, 5)).not.toEqual(sample(50, 6));
  });

  it('writes 64-bit ids as exact decimal strings in [2^53, 2^64), hit ids unique', () => {
    const ids = new Set<string>();
    const bad: string[] = [];
    let above63 = 0;
    for (const record of records) {
      for (const field of ['hitIdHigh', 'hitIdLow', 'visIdHigh', 'visIdLow', 'mcVisIdHigh', 'mcVisIdLow']) {
        const value = record[field];
        const ok = typeof value === 'string' && /^[1-9]\d{15,19}$/.test(value);
        const big = ok ? BigInt(value) : -1n;
        if (!ok || big < TWO_53 || big >= TWO_64) bad.push(`${field}=${String(value)}`);
        if (field === 'hitIdLow' && big >= TWO_63) above63++;
      }
      ids.add(hitIdOf(record) as string);
    }
    expect(bad).toEqual([]);
    expect(ids.size).toBe(records.length);
    expect(above63 / records.length).toBeGreaterThan(0.3);
  });

  it('writes the ids as bare JSON numbers with all their digits', () => {
    const record = records[0] as HitRecord;
    const line = stringifyRecord(record);
    expect(line).toContain(`"hitIdHigh":${record.hitIdHigh as string},`);
    expect(line).toContain(`"hitIdLow":${record.hitIdLow as string},`);
    expect(line).toContain(`"visIdHigh":${record.visIdHigh as string},`);
    expect(line).not.toMatch(/"hitId(High|Low)":"/);
    expect(line).not.toContain('\r');
  });

  it('has the shape of a Livestream record', () => {
    for (const record of records.slice(0, 2000)) {
      expect(record).toMatchObject({
        reportSuite: 'summitoutfittersprod',
        pageName: expect.any(String),
        pageURL: expect.stringMatching(/^https:\/\//),
        referrer: expect.any(String),
        geoCountry: expect.stringMatching(/^[a-z]{3}$/),
        geoRegion: expect.any(String),
        geoCity: expect.any(String),
        browser: expect.any(String),
        operatingSystem: expect.any(String),
        userAgent: expect.stringMatching(/^Mozilla\/5\.0/),
        ip: expect.stringMatching(/^(\d{1,3}\.){3}\d{1,3}$/),
        bot: expect.stringMatching(/^<(Bot|Not a bot)>$/),
        isErrorPage: expect.any(Boolean),
        evars: { evars: expect.any(Object) },
        props: expect.any(Object),
        events: expect.any(Object),
        currency: 'USD',
        hitSource: 1,
      });
      for (const list of Object.values(record.events as Record<string, unknown[]>)) {
        expect(list).toEqual([{ count: expect.any(Number), exponent: expect.any(Number), unique: expect.any(String) }]);
      }
      for (const product of (record.products as Record<string, unknown>[] | undefined) ?? []) {
        expect(product).toMatchObject({
          category: expect.any(String),
          name: expect.any(String),
          events: {},
          evars: {},
        });
        expect(Number.isInteger(product.units) && Number.isInteger(product.revenue)).toBe(true);
      }
    }
  });

  it('times hits 20 s to 5 min before now, received a little later but not after now', () => {
    const nowS = Math.floor(NOW / 1000);
    const generator = createHitGenerator({ seed: 9 });
    for (let i = 0; i < 3000; i++) {
      const record = generator.next(NOW);
      const time = record.timeGMT as number;
      const received = record.receivedTimeGMT as number;
      expect(nowS - time).toBeGreaterThanOrEqual(20);
      expect(nowS - time).toBeLessThanOrEqual(300);
      expect(received).toBeGreaterThan(time);
      expect(received - time).toBeLessThanOrEqual(4);
      expect(received).toBeLessThanOrEqual(nowS);
    }
  });

  it('has bots, error pages, commerce and undocumented fields in plausible proportions', () => {
    const bots = share(records, (r) => r.bot === '<Bot>');
    expect(bots).toBeGreaterThan(0.025);
    expect(bots).toBeLessThan(0.055);
    const errors = share(records, (r) => r.isErrorPage === true);
    expect(errors).toBeGreaterThan(0.009);
    expect(errors).toBeLessThan(0.021);
    const events = (r: HitRecord) => Object.keys(r.events as object);
    const purchases = records.filter((r) => events(r).includes('purchase'));
    expect(purchases.length / records.length).toBeGreaterThan(0.005);
    expect(share(records, (r) => events(r).includes('prodView'))).toBeGreaterThan(0.15);
    expect(share(records, (r) => events(r).includes('scAdd'))).toBeGreaterThan(0.02);
    for (const purchase of purchases) {
      const products = purchase.products as { revenue: number; units: number }[];
      expect(products.length).toBeGreaterThan(0);
      for (const p of products) expect(p.revenue).toBeGreaterThan(0);
      expect(summariseRecord(purchase, { seq: 1, shard: 0, arrivedAt: NOW, hitId: 'x' }).revenue).toBeGreaterThan(0);
    }
    const known = new Set(Object.keys(records[0] as object).concat(['products']));
    expect(records.some((r) => Object.keys(r).some((key) => !known.has(key)))).toBe(true);
  });

  it('includes non-ASCII text, so UTF-8 sequences cross chunk boundaries downstream', () => {
    const cities = new Set(records.map((r) => r.geoCity));
    expect([...cities].some((city) => /[^ -~]/.test(String(city)))).toBe(true);
    expect(cities.has('São Paulo') || cities.has('Zürich') || cities.has('東京')).toBe(true);
  });

  it('brings visitors back with stable ids and attributes, over several visits', () => {
    const byVisitor = new Map<string, HitRecord[]>();
    for (const r of records) {
      const key = `${r.visIdHigh as string}-${r.visIdLow as string}`;
      const hits = byVisitor.get(key) ?? [];
      hits.push(r);
      byVisitor.set(key, hits);
    }
    expect(byVisitor.size).toBeGreaterThan(500);
    expect(byVisitor.size).toBeLessThan(records.length / 2);
    for (const hits of byVisitor.values()) {
      const first = hits[0] as HitRecord;
      for (const hit of hits) {
        expect(hit.geoCity).toBe(first.geoCity);
        expect(hit.userAgent).toBe(first.userAgent);
        expect(hit.mcVisIdLow).toBe(first.mcVisIdLow);
      }
    }
    expect([...byVisitor.values()].some((hits) => hits.some((h) => (h.visitNum as number) > 1))).toBe(true);
  });

  it('follows plausible paths: landings carry the entry referrer, later pages the previous page', () => {
    const pages = new Set(records.map((r) => String(r.pageName).split(':')[0]));
    for (const page of ['home', 'category', 'product', 'cart', 'checkout', 'search results', '404']) {
      expect(pages).toContain(page);
    }
    const inner = records.filter((r) => (r.visitPageNum as number) > 1);
    expect(inner.every((r) => String(r.referrer).startsWith('https://www.summit-outfitters.example/'))).toBe(true);
    const bounces = records.filter((r) => r.visitPageNum === 1);
    expect(bounces.length).toBeGreaterThan(records.length * 0.15);
  });
});
