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
        // Livestream's default since 2026-04-13: no user agent, the device in the mobile fields.
        userAgent: '',
        mobileDeviceType: expect.any(String),
        ip: expect.stringMatching(/^(\d{1,3}\.){3}\d{1,3}$/),
        bot: expect.stringMatching(/^<(Bot|Not a bot)>$/),
        isErrorPage: expect.any(Boolean),
        evars: { evars: expect.any(Object) },
        props: expect.any(Object),
        events: expect.any(Object),
        currency: expect.stringMatching(/^[A-Z]{3}$/),
        hitSource: expect.any(Number),
        exclude: {
          id: expect.any(Number),
          value: expect.stringMatching(/^(yes|no)$/),
          description: expect.any(String),
        },
        truncated: expect.any(Boolean),
      });
      for (const list of Object.values(record.events as Record<string, unknown[]>)) {
        expect(list.length).toBeGreaterThan(0);
        for (const item of list) {
          expect(item).toEqual({ count: expect.any(Number), exponent: expect.any(Number), unique: expect.any(String) });
        }
      }
      for (const product of (record.products as Record<string, unknown>[] | undefined) ?? []) {
        expect(product).toMatchObject({
          category: expect.any(String),
          name: expect.any(String),
          events: expect.any(Object),
          evars: expect.any(Object),
        });
        expect(Number.isInteger(product.units)).toBe(true);
        // Revenue in the currency's major unit, two decimals at most (Livestream rounds so since 2026).
        expect(
          Math.abs((product.revenue as number) * 100 - Math.round((product.revenue as number) * 100)),
        ).toBeLessThan(1e-6);
      }
    }
  });

  it('times hits: received 20 s to 5 min before now, collected then unless timestamped (hours before)', () => {
    const nowS = Math.floor(NOW / 1000);
    const generator = createHitGenerator({ seed: 9 });
    let timestamped = 0;
    for (let i = 0; i < 3000; i++) {
      const record = generator.next(NOW);
      const time = record.timeGMT as number;
      const received = record.receivedTimeGMT as number;
      expect(nowS - received).toBeGreaterThanOrEqual(20);
      expect(nowS - received).toBeLessThanOrEqual(300);
      if (time !== received) {
        timestamped += 1;
        expect(received - time).toBeGreaterThanOrEqual(15 * 60);
      }
    }
    expect(timestamped).toBeGreaterThan(0);
    expect(timestamped).toBeLessThan(3000 * 0.05);
  });

  it('has bots, error pages, commerce and undocumented fields in plausible proportions', () => {
    const bots = share(records, (r) => r.bot === '<Bot>');
    expect(bots).toBeGreaterThan(0.025);
    expect(bots).toBeLessThan(0.055);
    const errors = share(records, (r) => r.isErrorPage === true);
    expect(errors).toBeGreaterThan(0.009);
    expect(errors).toBeLessThan(0.021);
    const events = (r: HitRecord) => Object.keys(r.events as object);
    const purchases = records.filter((r) => events(r).includes('revenue'));
    expect(purchases.length / records.length).toBeGreaterThan(0.005);
    expect(share(records, (r) => events(r).includes('productViews'))).toBeGreaterThan(0.15);
    expect(share(records, (r) => events(r).includes('cartAdditions'))).toBeGreaterThan(0.02);
    for (const purchase of purchases) {
      const products = purchase.products as { revenue: number; units: number }[];
      expect(products.length).toBeGreaterThan(0);
      for (const p of products) expect(p.revenue).toBeGreaterThan(0);
      expect(purchase.purchaseId).toEqual(expect.any(String));
      // An excluded hit's revenue does not count.
      if ((purchase.exclude as { value: string }).value === 'no') {
        expect(summariseRecord(purchase, { seq: 1, shard: 0, arrivedAt: NOW, hitId: 'x' }).revenue).toBeGreaterThan(0);
      }
    }
    // Now and then a field no documentation mentions yet.
    expect(records.some((r) => ['consent', 'edgeRegion', 'experienceVersion'].some((key) => key in r))).toBe(true);
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
        expect(hit.currency).toBe(first.currency);
        expect(hit.mobileDeviceName).toBe(first.mobileDeviceName);
        expect(hit.mcVisIdLow).toBe(first.mcVisIdLow);
        expect(hit.visIdType).toBe(first.visIdType);
      }
    }
    const returning = (r: HitRecord) => (r.evars as { evars: Record<string, unknown> }).evars.eVar5 === 'returning';
    expect([...byVisitor.values()].some((hits) => hits.some(returning))).toBe(true);
  });

  it('follows plausible paths: landings carry the entry referrer, later pages the previous page', () => {
    const pages = new Set(records.map((r) => String(r.pageName).split(':')[0]));
    for (const page of ['home', 'category', 'product', 'cart', 'checkout', 'search results', '404']) {
      expect(pages).toContain(page);
    }
    // eVar30 (a counter eVar) marks a visit's first page.
    const landing = (r: HitRecord) => (r.evars as { evars: Record<string, unknown> }).evars.eVar30 === 1;
    // Livestream leaves out the referrer of bots and excluded hits (2026).
    const shown = records.filter((r) => r.bot !== '<Bot>' && (r.exclude as { value: string }).value === 'no');
    const inner = shown.filter((r) => !landing(r));
    expect(inner.every((r) => String(r.referrer).startsWith('https://www.summit-outfitters.example/'))).toBe(true);
    expect(records.filter((r) => r.bot === '<Bot>').every((r) => r.referrer === '')).toBe(true);
    expect(records.filter(landing).length).toBeGreaterThan(records.length * 0.15);
  });
});
