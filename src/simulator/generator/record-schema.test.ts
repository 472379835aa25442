import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { stringifyRecord, type HitRecord } from '../../contract/index.ts';
import * as fixtures from '../../core/testing/records.ts';
import { createHitGenerator, LAG, TIMESTAMPED_SHARE, type HitGeneratorOptions } from './hit-generator.ts';
import schema from './livestream-record.schema.json' with { type: 'json' };

// The generator's records against a JSON Schema written from Adobe's Livestream variable
// reference (see the schema's description), as a consumer parses them: 64-bit ids become
// (rounded) JSON numbers, which keeps their type.

const NOW = Date.UTC(2026, 4, 6, 19, 30);
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true });
const validate = ajv.compile(schema);

const onWire = (record: HitRecord): unknown => JSON.parse(stringifyRecord(record));

function sample(count: number, options: HitGeneratorOptions): { at: number; record: HitRecord }[] {
  const generator = createHitGenerator(options);
  return Array.from({ length: count }, (_, i) => {
    const at = NOW + i * 25;
    return { at, record: generator.next(at) };
  });
}

function problems(records: readonly unknown[]): string[] {
  const found: string[] = [];
  for (const record of records) {
    if (validate(record)) continue;
    const errors: ErrorObject[] = validate.errors ?? [];
    found.push(errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; '));
    if (found.length >= 5) break;
  }
  return found;
}

const MOBILE_FIELDS = [
  'mobileDeviceType',
  'mobileDeviceName',
  'mobileManufacturer',
  'mobileScreenWidth',
  'mobileScreenHeight',
  'mobileCookieSupport',
  'mobileColorDepth',
  'mobileAudioSupport',
  'mobileVideoSupport',
];

const share = (records: readonly HitRecord[], test: (r: HitRecord) => boolean) =>
  records.filter(test).length / records.length;
const events = (r: HitRecord) => (r.events ?? {}) as Record<string, unknown[]>;

describe('the Livestream record schema', () => {
  it('is valid draft 2020-12 and rejects what Adobe never sends', () => {
    expect(validate({ reportSuite: 'rs', timeGMT: 1, receivedTimeGMT: 1, hitIdHigh: 1, hitIdLow: 2 })).toBe(true);
    // New fields appear without notice: kept.
    expect(validate({ reportSuite: 'rs', timeGMT: 1, receivedTimeGMT: 1, hitIdHigh: 1, hitIdLow: 2, x: [1] })).toBe(
      true,
    );
    const bad: unknown[] = [
      { reportSuite: 'rs', timeGMT: 1, receivedTimeGMT: 1, hitIdHigh: '1', hitIdLow: 2 },
      { reportSuite: 'rs', timeGMT: 1.5, receivedTimeGMT: 1, hitIdHigh: 1, hitIdLow: 2 },
      {
        reportSuite: 'rs',
        timeGMT: 1,
        receivedTimeGMT: 1,
        hitIdHigh: 1,
        hitIdLow: 2,
        events: { event1: { count: 1 } },
      },
      { reportSuite: 'rs', timeGMT: 1, receivedTimeGMT: 1, hitIdHigh: 1, hitIdLow: 2, exclude: { value: 'maybe' } },
      {
        reportSuite: 'rs',
        timeGMT: 1,
        receivedTimeGMT: 1,
        hitIdHigh: 1,
        hitIdLow: 2,
        userAgent: 'Mozilla/5.0',
        mobileDeviceName: 'iPhone',
      },
    ];
    for (const record of bad) expect(validate(record), JSON.stringify(record)).toBe(false);
  });

  it('accepts Adobe’s own sample record', () => {
    // Adobe's example output (abridged to the fields whose shape it shows), bare 64-bit ids included.
    const line =
      '{"bot":"<Not a bot>","browser":"Google Chrome 32.0","browserHeight":1350,"browserWidth":820,"carrier":"AT&T","currency":"USD","customVisId":"420520","evars":{"evars":{"campaign":"DFA:172612:21725632:182361","evar1":"Summer Shoe Promo"}},"events":{"event1":[{"count":1,"exponent":0,"unique":""}]},"exclude":{"id":"0","value":"no","description":"include"},"geoCity":"paris","geoCountry":"fra","geoDMA":0,"geoRegion":"j","geoZip":"75001","hierarchies":{"site-hier":{"delim":58,"values":"home page:clothing:mens:shoes"}},"hitIdHigh":2948027281753079808,"hitIdLow":4948646782672799561,"hitSource":1,"ip":"91.71.30.70","javaEnabled":true,"mvvars":{"1":{"m":{"values":["event_category:summer sale","event_type:click"],"delim":44}}},"pageName":"Page #8552","products":[{"category":"Clothing","evars":{},"events":{"event61":[{"count":3,"exponent":0,"unique":""}]},"name":"Mens Black Running Shoes","revenue":1799,"units":15}],"receivedTimeGMT":1372782179,"reportSuite":"examplecomprod","timeGMT":1372782179,"tnt":[{"campaignId":"13234","recipeId":"23","trafficType":"0","actionId":"","actionName":""}],"truncated":false,"userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5)","usesPersistentCookie":1,"visIdHigh":1944017885723175213,"visIdLow":2512895455560210216,"visIdType":3}';
    expect(problems([JSON.parse(line)])).toEqual([]);
  });
});

describe('the shared unit-test records (src/core/testing/records.ts)', () => {
  const exported = Object.entries(fixtures as Record<string, unknown>).flatMap(([name, value]) =>
    (Array.isArray(value) ? (value as unknown[]) : [value]).map((record, i): [string, unknown] => [
      Array.isArray(value) ? `${name}[${i}]` : name,
      record,
    ]),
  );

  it('are there', () => {
    expect(exported.length).toBeGreaterThan(0);
  });

  it.each(exported)('%s matches the schema', (_name, record) => {
    expect(problems([record])).toEqual([]);
  });
});

describe('generated records', () => {
  const runs = {
    mobile: [1, 7, 42].flatMap((seed) => sample(4000, { seed })),
    userAgent: [2, 8].flatMap((seed) => sample(3000, { seed, deviceFields: 'userAgent' })),
    a4t: [3, 9].flatMap((seed) => sample(3000, { seed, a4t: true })),
  };
  const all = Object.values(runs).flat();
  const records = all.map((s) => s.record);

  it.each(Object.keys(runs))('match the schema (%s)', (name) => {
    const run = runs[name as keyof typeof runs];
    expect(problems(run.map((s) => onWire(s.record)))).toEqual([]);
  });

  it('have no visit-level field Livestream does not send', () => {
    const fields = ['visitNum', 'visitPageNum', 'pageType'];
    expect(records.filter((r) => fields.some((field) => field in r))).toEqual([]);
  });

  it('describe the device by the mobile fields (default) or by the user agent (option), never both', () => {
    const mobileBad = runs.mobile.filter(
      ({ record: r }) => r.userAgent !== '' || r.mobileDeviceType === '' || MOBILE_FIELDS.some((f) => !(f in r)),
    );
    expect(mobileBad).toEqual([]);
    const userAgentBad = runs.userAgent.filter(
      ({ record: r }) => !/^Mozilla\/5\.0 /.test(String(r.userAgent)) || MOBILE_FIELDS.some((f) => f in r),
    );
    expect(userAgentBad).toEqual([]);
    const types = new Set(runs.mobile.map((s) => s.record.mobileDeviceType));
    expect([...types].sort()).toEqual(['Desktop', 'Mobile Phone', 'Tablet']);
  });

  it('have exclusions, timestamped hits, several entries of an event and foreign currencies, in sensible shares', () => {
    const excluded = records.filter((r) => (r.exclude as { value: string }).value === 'yes');
    expect(excluded.length / records.length).toBeGreaterThan(0.005);
    expect(excluded.length / records.length).toBeLessThan(0.05);
    // Since 2026 excluded hits come without props and referrer.
    expect(excluded.filter((r) => JSON.stringify(r.props) !== '{}' || r.referrer !== '')).toEqual([]);
    expect(share(records, (r) => (r.exclude as { value: string }).value === 'no')).toBeGreaterThan(0.9);

    const timestamped = share(records, (r) => r.timeGMT !== r.receivedTimeGMT);
    expect(timestamped).toBeGreaterThan(TIMESTAMPED_SHARE * 0.6);
    expect(timestamped).toBeLessThan(TIMESTAMPED_SHARE * 1.4);

    const several = share(records, (r) => Object.values(events(r)).some((list) => list.length > 1));
    expect(several).toBeGreaterThan(0.02);
    expect(several).toBeLessThan(0.2);

    const currencies = new Set(records.map((r) => r.currency));
    for (const code of ['USD', 'EUR', 'GBP', 'JPY']) expect(currencies).toContain(code);
    const foreign = share(records, (r) => r.currency !== 'USD');
    expect(foreign).toBeGreaterThan(0.2);
    expect(foreign).toBeLessThan(0.7);

    const sources = new Set(records.map((r) => r.hitSource));
    expect([...sources].sort()).toEqual([1, 2, 6]);
    expect(share(records, (r) => r.truncated === true)).toBeLessThan(0.01);
    expect(records.some((r) => r.truncated === true)).toBe(true);
  });

  it('name events as Adobe does, values count × 10^exponent, revenue with two decimals', () => {
    const names = new Set(records.flatMap((r) => Object.keys(events(r))));
    for (const name of names) {
      expect(name).toMatch(
        /^(productViews|cartAdditions|cartRemovals|carts|cartViews|checkouts|revenue|event\d{1,4})$/,
      );
    }
    for (const name of ['productViews', 'cartAdditions', 'carts', 'cartViews', 'checkouts', 'revenue', 'event1']) {
      expect(names).toContain(name);
    }
    const purchases = records.filter((r) => 'revenue' in events(r));
    expect(purchases.length / records.length).toBeGreaterThan(0.005);
    for (const r of purchases) {
      const [revenue] = events(r).revenue as { count: number; exponent: number }[];
      expect(revenue?.exponent).toBe(-2);
      expect(Number.isInteger(revenue?.count)).toBe(true);
      const products = r.products as { revenue: number; events: Record<string, unknown[]> }[];
      expect(products.reduce((sum, p) => sum + Math.round(p.revenue * 100), 0)).toBe(revenue?.count);
      expect(r.purchaseId).toMatch(/^SO\d{10}$/);
      // A product-level event is listed on the hit too.
      for (const p of products) for (const name of Object.keys(p.events)) expect(events(r)).toHaveProperty(name);
    }
    expect(records.filter((r) => r.purchaseId !== undefined).every((r) => 'revenue' in events(r))).toBe(true);
    // No event of value 0: Livestream leaves such events out since 2026.
    const zero = records.filter((r) =>
      (Object.values(events(r)) as { count: number }[][]).some((list) => list.some((e) => !(e.count > 0))),
    );
    expect(zero).toEqual([]);
  });

  it('carry the 2026 fields in their documented shapes', () => {
    const some = (test: (r: HitRecord) => boolean) => expect(records.some(test)).toBe(true);
    some((r) => Array.isArray(r.tnt) && (r.tnt as unknown[]).length > 0);
    some((r) => Array.isArray(r.tntAction));
    some((r) => typeof r.customVisId === 'string' && r.visIdType === 0);
    some((r) => r.visIdType === 5);
    some((r) => typeof r.geoDMA === 'number' && r.geoDMA > 0);
    some((r) => r.mcAudiences !== undefined);
    some((r) => r.hierarchies !== undefined);
    some((r) => {
      const list = (r.mvvars as Record<string, { m: { delim: number } }> | undefined)?.['1'];
      return list?.m.delim === 44;
    });
    expect(records.filter((r) => typeof r.lat !== 'string' || typeof r.geoZip !== 'string')).toEqual([]);
    expect(records.filter((r) => r.bot === '<Bot>' && 'tntAction' in r)).toEqual([]);
  });

  it('arrive 20 s to 5 min after Adobe received them (most within a minute), about 10 min with A4T', () => {
    const lag = (s: { at: number; record: HitRecord }) =>
      Math.floor(s.at / 1000) - (s.record.receivedTimeGMT as number);
    const normal = [...runs.mobile, ...runs.userAgent].map(lag).sort((a, b) => a - b);
    expect(normal[0]).toBeGreaterThanOrEqual(LAG.minS);
    expect(normal.at(-1)).toBeLessThanOrEqual(LAG.maxS);
    const withinMinute = normal.filter((s) => s <= 60).length / normal.length;
    expect(withinMinute).toBeGreaterThan(0.7);
    expect(withinMinute).toBeLessThan(0.9);
    expect(normal.filter((s) => s > 180).length).toBeGreaterThan(0);

    const a4t = runs.a4t.map(lag).sort((a, b) => a - b);
    const median = a4t[Math.floor(a4t.length / 2)] as number;
    expect(median).toBeGreaterThanOrEqual(9 * 60);
    expect(median).toBeLessThanOrEqual(11 * 60);
    expect(a4t[0]).toBeGreaterThanOrEqual(9 * 60);
    expect(a4t.at(-1)).toBeLessThanOrEqual(15 * 60);

    // Timestamped hits are older than their reception, by minutes to a day; the rest are not.
    const odd = records.filter((r) => {
      const age = (r.receivedTimeGMT as number) - (r.timeGMT as number);
      if (age === 0) return r.hitSource !== 1;
      return age < 15 * 60 || age > 24 * 3600 || (r.hitSource !== 2 && r.hitSource !== 6);
    });
    expect(odd).toEqual([]);
  });

  it('switch style while running, without breaking the sequence of hit ids', () => {
    const generator = createHitGenerator({ seed: 5 });
    expect(generator.style).toEqual({ deviceFields: 'mobile', a4t: false });
    const first = generator.next(NOW);
    expect(generator.setStyle({ deviceFields: 'userAgent', a4t: true })).toEqual({
      deviceFields: 'userAgent',
      a4t: true,
    });
    const second = generator.next(NOW);
    expect(first.userAgent).toBe('');
    expect(second.userAgent).toMatch(/^Mozilla/);
    expect(Math.floor(NOW / 1000) - (second.receivedTimeGMT as number)).toBeGreaterThanOrEqual(LAG.a4tExtraS);
    expect(`${first.hitIdHigh as string}-${first.hitIdLow as string}`).not.toBe(
      `${second.hitIdHigh as string}-${second.hitIdLow as string}`,
    );
  });
});
