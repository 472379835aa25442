import type { HitRecord } from '../../contract/index.ts';
import { createRandom, hashText, type Random } from './random.ts';
import {
  AUDIENCE_SEGMENTS,
  BOT_DEVICES,
  BOT_PLACE,
  CATEGORIES,
  CURRENCIES,
  DEVICES,
  ENTRIES,
  EXCLUDE_REASONS,
  INTERESTS,
  PLACES,
  PRODUCTS,
  SEARCH_TERMS,
  SITE_ORIGIN,
  SURPRISE_FIELDS,
  TARGET_ACTIVITIES,
  type Device,
  type Entry,
  type Place,
  type Product,
} from './site-catalog.ts';

/**
 * How the device is described. `'mobile'`, Livestream's default since 2026-04-13: `userAgent` is
 * empty and the `mobile*` fields carry the device. `'userAgent'`: `userAgent` filled and no
 * `mobile*` field, as records were before April 2026 (and as a stream Customer Care switched to
 * user agents sends them; Adobe then leaves the `mobile*` fields empty, which a consumer must take
 * as "absent" all the same).
 */
export type DeviceFields = 'mobile' | 'userAgent';

/** What kind of report suite the records come from; may change while a generator runs. */
export interface RecordStyle {
  deviceFields: DeviceFields;
  /**
   * An Analytics for Target (A4T) report suite: hits reach the stream about 10 minutes after
   * Adobe received them (Adobe stitches them with Target's data first) and more of them carry `tnt`.
   */
  a4t: boolean;
}

export const DEFAULT_RECORD_STYLE: Readonly<RecordStyle> = { deviceFields: 'mobile', a4t: false };

export interface HitGeneratorOptions extends Partial<RecordStyle> {
  /** Same seed, same sequence of calls → same records. Default: a random seed. */
  seed?: number;
  /** Size of the pool of returning human visitors. Default 5000. */
  visitors?: number;
  /** Default `'summitoutfittersprod'`. */
  reportSuite?: string;
}

export interface HitGenerator {
  /**
   * The next hit of the site's traffic, as it reaches the stream at `nowMs` (epoch ms):
   * `receivedTimeGMT` is `LAG` behind it (Unix seconds), `timeGMT` the same but for the few
   * timestamped hits, which are hours old.
   */
  next(nowMs: number): HitRecord;
  /** The current record style (a copy). */
  readonly style: RecordStyle;
  /** Changes the style from the next record on; returns the style now in force. */
  setStyle(style: Partial<RecordStyle>): RecordStyle;
}

/**
 * Delay from Adobe's reception (`receivedTimeGMT`) to the stream, in seconds: Adobe documents 20 s
 * to 5 min. `CORE_SHARE` of hits take 20–60 s (skewed towards the low end, median about 33 s),
 * the rest a tail from 60 s to 5 min (median about 2 min). A4T report suites add `A4T_EXTRA_S`:
 * about 10 minutes in all.
 */
export const LAG = { minS: 20, coreMaxS: 60, maxS: 300, coreShare: 0.8, a4tExtraS: 570 } as const;

/**
 * Share of hits that carry their own timestamp (offline mobile hits sent later, timestamped
 * data-source rows): their `timeGMT` is 15 min to 24 h before `receivedTimeGMT` (log-uniform,
 * median about 2 h); every other hit has `timeGMT` = `receivedTimeGMT`.
 */
export const TIMESTAMPED_SHARE = 0.025;
const TIMESTAMPED_MIN_AGE_S = 15 * 60;
const TIMESTAMPED_MAX_AGE_S = 24 * 3600;

/** Share of visits that are crawlers; their longer visits make about 4 % of hits `bot: "<Bot>"`. */
const BOT_VISIT_SHARE = 0.035;
/** Share of page views that end on the error page (a stale product link). */
const ERROR_PAGE_SHARE = 0.015;
/** Share of hits carrying a field no documentation mentions yet. */
const SURPRISE_SHARE = 0.01;
/** Human visitors from the shop's own offices: every hit of theirs is excluded by IP. */
const INTERNAL_VISITOR_SHARE = 0.012;
/** Other hits Adobe excludes (a processing rule, vital data missing). */
const EXCLUDED_HIT_SHARE = 0.008;
/** Hits Adobe did not receive whole (`truncated: true`). */
const TRUNCATED_SHARE = 0.002;
/** Visitors in an Adobe Target activity (a normal report suite / an A4T one). */
const TARGET_SHARE = 0.3;
const TARGET_SHARE_A4T = 0.75;
/** Members (logged in): the site sets `visitorID` for them (`customVisId`, `visIdType` 0). */
const MEMBER_SHARE = 0.3;
/** How many visits are in progress at once; more spreads visitors over shards more evenly. */
const MAX_ACTIVE_VISITS = 96;
const BOT_POOL = 24;

type Page = 'home' | 'category' | 'search' | 'product' | 'cart' | 'checkout' | 'purchase';

interface Visitor {
  visIdHigh: string;
  visIdLow: string;
  mcVisIdHigh: string;
  mcVisIdLow: string;
  /** `visIdType`: 0 custom id, 1 IP + user agent, 3 legacy cookie, 4 fallback cookie, 5 ECID. */
  visIdType: number;
  customVisId: string | undefined;
  place: Place;
  device: Device;
  ip: string;
  bot: boolean;
  member: boolean;
  internal: boolean;
  audiences: string[];
  /** Index in `TARGET_ACTIVITIES` and recipe, when the visitor is in an activity. */
  target: { activity: number; recipe: string } | undefined;
  /** Decided once: whether the visitor would be in an activity under A4T / without it. */
  targetRoll: number;
  visits: number;
}

interface Visit {
  visitor: Visitor;
  entry: Entry;
  page: Page | undefined;
  url: string;
  pages: number;
  category: string;
  product: Product | undefined;
  searchTerm: string | undefined;
  findingMethod: string;
  cart: { product: Product; units: number }[];
}

/** Where a visitor goes next from each page; `exit` ends the visit (a bounce when it is the first). */
const PATHS: Record<Page | 'landing' | 'crawl', readonly (readonly [Page | 'exit', number])[]> = {
  landing: [
    ['home', 38],
    ['category', 22],
    ['product', 30],
    ['search', 10],
  ],
  home: [
    ['category', 42],
    ['search', 18],
    ['product', 10],
    ['exit', 30],
  ],
  category: [
    ['product', 52],
    ['category', 10],
    ['search', 8],
    ['home', 4],
    ['exit', 26],
  ],
  search: [
    ['product', 55],
    ['search', 10],
    ['category', 8],
    ['exit', 27],
  ],
  product: [
    ['cart', 20],
    ['product', 24],
    ['category', 18],
    ['search', 6],
    ['exit', 32],
  ],
  cart: [
    ['checkout', 50],
    ['product', 14],
    ['exit', 36],
  ],
  checkout: [
    ['purchase', 62],
    ['cart', 8],
    ['exit', 30],
  ],
  purchase: [
    ['home', 6],
    ['exit', 94],
  ],
  crawl: [
    ['product', 55],
    ['category', 30],
    ['home', 5],
    ['exit', 30],
  ],
};

const MASK_60 = (1n << 60n) - 1n;

/** A bijection on 60-bit integers: distinct counters give distinct, random-looking values. */
function scramble60(x: bigint): bigint {
  x = (x * 0x9e3779b97f4a7c15n) & MASK_60;
  x ^= x >> 29n;
  x = (x * 0xbf58476d1ce4e5b9n) & MASK_60;
  x ^= x >> 32n;
  return x;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function publicIpv4(random: Random): string {
  // Skips private, loopback, CGN, link-local and multicast first octets.
  const first = random.pick([23, 31, 46, 52, 64, 73, 81, 88, 94, 104, 131, 151, 177, 185, 201, 203, 211]);
  return `${first}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

type EventEntry = { count: number; exponent: number; unique: string };

/** One entry of an event (`count` × 10^`exponent`, `unique` its serialization id). */
function entry(count = 1, exponent = 0, unique = ''): EventEntry {
  return { count, exponent, unique };
}

/** `count` entries of a counter event: since 2026 `event3,event3` counts twice. */
function repeated(count: number): EventEntry[] {
  return Array.from({ length: count }, () => entry());
}

/** The site's price of a product where the visitor is, in the local currency's major unit. */
function localPrice(priceCents: number, currency: string): number {
  const { perUsd, decimals } = CURRENCIES[currency] ?? { perUsd: 1, decimals: 2 };
  if (perUsd === 1) return priceCents / 100;
  const major = (priceCents / 100) * perUsd;
  // Local price points: x9.99-style with decimals, whole hundreds without.
  return decimals === 0 ? Math.round(major / 100) * 100 : Math.round(major) - 0.01;
}

/** An amount in hundredths of its unit (what a currency event's count holds with exponent −2). */
function hundredths(amount: number): number {
  return Math.round(amount * 100);
}

const SEARCH_ENGINES: Readonly<Record<string, string>> = {
  'https://www.google.com/': 'Google',
  'https://www.bing.com/': 'Microsoft Bing',
  'https://duckduckgo.com/': 'DuckDuckGo',
};

/**
 * Realistic Livestream records of a retail site, shaped as Adobe documents them in 2026: a pool
 * of returning visitors (ids stable per visitor, so sharding by visitor means something) whose
 * visits follow plausible paths (landing, category, product, cart, checkout, purchase; searches;
 * bounces), crawlers, error pages, visitors from abroad paying in their currency, Target
 * activities, Audience Manager segments, excluded and truncated hits, commerce events (some with
 * several entries) with products and revenue in the visitor's currency, and now and then an
 * undocumented field. 64-bit ids are decimal strings in [2^53, 2^64); hit ids are unique per
 * generator. Isomorphic: no Node or DOM APIs.
 */
export function createHitGenerator(options: HitGeneratorOptions = {}): HitGenerator {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const poolSize = Math.max(1, Math.floor(options.visitors ?? 5000));
  const reportSuite = options.reportSuite ?? 'summitoutfittersprod';
  const style: RecordStyle = {
    deviceFields: options.deviceFields ?? DEFAULT_RECORD_STYLE.deviceFields,
    a4t: options.a4t ?? DEFAULT_RECORD_STYLE.a4t,
  };
  const random = createRandom(seed);
  const humans = new Map<number, Visitor>();
  const bots = new Map<number, Visitor>();
  const active: Visit[] = [];
  const idOffset = random.uint64() & MASK_60;
  let hitCount = 0n;
  let orders = 0;

  const makeVisitor = (index: number, bot: boolean): Visitor => {
    // Each visitor draws from its own stream, so visitor #i is the same whatever the call order.
    const own = createRandom(hashText(`${seed}:${bot ? 'bot' : 'human'}:${index}`));
    const visIdHigh = own.uint64().toString();
    const visIdLow = own.uint64().toString();
    const mcVisIdHigh = own.uint64().toString();
    const mcVisIdLow = own.uint64().toString();
    const place = bot ? BOT_PLACE : own.weighted(PLACES);
    const device = bot ? own.pick(BOT_DEVICES) : own.weighted(DEVICES);
    const ip = publicIpv4(own);
    const member = !bot && own.chance(MEMBER_SHARE);
    const internal = !bot && own.chance(INTERNAL_VISITOR_SHARE);
    const audiences = !bot && own.chance(0.4) ? AUDIENCE_SEGMENTS.filter(() => own.chance(0.35)) : [];
    const activity = own.int(0, TARGET_ACTIVITIES.length - 1);
    const recipe = own.pick((TARGET_ACTIVITIES[activity] as (typeof TARGET_ACTIVITIES)[number]).recipes);
    const targetRoll = own.next();
    const customVisId = member ? `SO-${(own.uint32() % 10_000_000).toString().padStart(7, '0')}` : undefined;
    const visIdType = bot
      ? 1
      : member
        ? 0
        : own.weighted([
            [5, 86],
            [3, 10],
            [4, 4],
          ] as const);
    return {
      visIdHigh,
      visIdLow,
      mcVisIdHigh,
      mcVisIdLow,
      visIdType,
      customVisId,
      place,
      device,
      ip,
      bot,
      member,
      internal,
      audiences,
      target: bot ? undefined : { activity, recipe },
      targetRoll,
      visits: 0,
    };
  };

  const visitorAt = (pool: Map<number, Visitor>, index: number, bot: boolean): Visitor => {
    let visitor = pool.get(index);
    if (!visitor) {
      visitor = makeVisitor(index, bot);
      pool.set(index, visitor);
    }
    return visitor;
  };

  const startVisit = (): Visit => {
    const bot = random.chance(BOT_VISIT_SHARE);
    // Squaring skews towards low indices: a core of loyal visitors comes back often.
    const visitor = bot
      ? visitorAt(bots, random.int(0, BOT_POOL - 1), true)
      : visitorAt(humans, Math.floor(random.next() ** 2 * poolSize), false);
    visitor.visits += 1;
    const visit: Visit = {
      visitor,
      entry: bot ? { referrer: '' } : random.weighted(ENTRIES),
      page: undefined,
      url: '',
      pages: 0,
      category: random.pick(CATEGORIES),
      product: undefined,
      searchTerm: undefined,
      findingMethod: 'external',
      cart: [],
    };
    active.push(visit);
    return visit;
  };

  const pickVisit = (): Visit => {
    const existing = active.length > 0 && (active.length >= MAX_ACTIVE_VISITS || random.chance(0.7));
    return existing ? random.pick(active) : startVisit();
  };

  const nextPage = (visit: Visit): Page | 'exit' => {
    if (visit.page === undefined) return random.weighted(PATHS.landing);
    if (visit.visitor.bot) return random.weighted(PATHS.crawl);
    return random.weighted(PATHS[visit.page]);
  };

  /** Seconds from Adobe's reception to the stream (see `LAG`). */
  const lagS = (): number => {
    const base = random.chance(LAG.coreShare)
      ? LAG.minS + (LAG.coreMaxS - LAG.minS) * random.next() ** 1.6
      : LAG.coreMaxS + (LAG.maxS - LAG.coreMaxS) * random.next() ** 2.2;
    return Math.round(base) + (style.a4t ? LAG.a4tExtraS : 0);
  };

  const product = (p: Product, units: number, revenue: number, findingMethod: string) => ({
    category: p.category,
    name: p.name,
    units,
    revenue,
    events: {} as Record<string, EventEntry[]>,
    evars: { eVar20: findingMethod, eVar21: p.sku },
  });

  return {
    get style() {
      return { ...style };
    },
    setStyle(next: Partial<RecordStyle>): RecordStyle {
      if (next.deviceFields !== undefined) style.deviceFields = next.deviceFields;
      if (next.a4t !== undefined) style.a4t = next.a4t;
      return { ...style };
    },
    next(nowMs: number): HitRecord {
      let visit = pickVisit();
      let page = nextPage(visit);
      while (page === 'exit') {
        active.splice(active.indexOf(visit), 1);
        visit = startVisit();
        page = nextPage(visit);
      }
      const landing = visit.page === undefined;
      const { visitor } = visit;
      const { place } = visitor;
      visit.pages += 1;

      const events: Record<string, EventEntry[]> = {};
      const evars: Record<string, unknown> = {
        eVar2: visitor.member ? 'member' : 'guest',
        eVar5: visitor.visits > 1 ? 'returning' : 'new',
      };
      // A counter eVar: set to a string by the page, Livestream sends 1 since 2026.
      if (landing) evars.eVar30 = 1;
      if (landing && visit.entry.campaign) evars.campaign = visit.entry.campaign;
      let products: ReturnType<typeof product>[] | undefined;
      let mvvars: Record<string, unknown> | undefined;
      let purchaseId: string | undefined;
      let pageName: string;
      let url: string;
      let section: string = page;

      const isError = !visitor.bot && random.chance(ERROR_PAGE_SHARE);
      if (isError) {
        const stale = `/p/${random.pick(['tn-3p-old', 'jk-2019-shell', 'summer-sale-2022', 'bp-30-classic'])}`;
        pageName = `404:${stale}`;
        url = `${SITE_ORIGIN}${stale}`;
        section = 'errorPage';
      } else {
        switch (page) {
          case 'home':
            pageName = 'home';
            url = `${SITE_ORIGIN}/`;
            break;
          case 'category':
            if (!landing && random.chance(0.4)) visit.category = random.pick(CATEGORIES);
            visit.findingMethod = 'browse';
            pageName = `category:${visit.category}`;
            url = `${SITE_ORIGIN}/c/${visit.category}`;
            break;
          case 'search': {
            const term = random.pick(SEARCH_TERMS);
            visit.searchTerm = term;
            visit.findingMethod = 'internal search';
            const results = random.chance(0.08) ? 0 : random.int(1, 48);
            pageName = 'search results';
            url = `${SITE_ORIGIN}/search?q=${encodeURIComponent(term)}`;
            // A refinement in the same hit: the search event twice.
            events.event1 = repeated(random.chance(0.12) ? 2 : 1);
            if (results === 0) events.event2 = [entry()];
            evars.eVar1 = term;
            break;
          }
          case 'product': {
            const pool = PRODUCTS.filter((p) => p.category === visit.category);
            const chosen = random.chance(0.7) && pool.length ? random.pick(pool) : random.pick(PRODUCTS);
            visit.product = chosen;
            visit.category = chosen.category;
            pageName = `product:${chosen.name}`;
            url = `${SITE_ORIGIN}/p/${slug(chosen.sku)}/${slug(chosen.name)}`;
            events.productViews = [entry()];
            // Image views: the gallery fires event3 once per image opened before the hit went out.
            events.event3 = repeated(
              random.weighted([
                [1, 80],
                [2, 14],
                [3, 6],
              ] as const),
            );
            products = [product(chosen, 0, 0, visit.findingMethod)];
            mvvars = { '1': { m: { values: [...(INTERESTS[chosen.category] ?? [])], delim: 44 } } };
            break;
          }
          case 'cart': {
            const added = visit.product ?? random.pick(PRODUCTS);
            const units = random.weighted([
              [1, 80],
              [2, 15],
              [3, 5],
            ] as const);
            visit.cart.push({ product: added, units });
            pageName = 'cart';
            url = `${SITE_ORIGIN}/cart`;
            events.cartAdditions = [entry()];
            events.cartViews = [entry()];
            if (visit.cart.length === 1) events.carts = [entry()];
            products = [product(added, units, 0, visit.findingMethod)];
            if (visit.cart.length > 1 && random.chance(0.1)) {
              const removed = visit.cart.shift() as { product: Product; units: number };
              events.cartRemovals = [entry()];
              products.push(product(removed.product, removed.units, 0, visit.findingMethod));
            }
            break;
          }
          case 'checkout':
            if (visit.cart.length === 0) visit.cart.push({ product: random.pick(PRODUCTS), units: 1 });
            pageName = 'checkout:shipping';
            url = `${SITE_ORIGIN}/checkout/shipping`;
            events.checkouts = [entry()];
            products = visit.cart.map((line) => product(line.product, line.units, 0, visit.findingMethod));
            break;
          case 'purchase': {
            if (visit.cart.length === 0) visit.cart.push({ product: random.pick(PRODUCTS), units: 1 });
            orders += 1;
            purchaseId = `SO${(seed % 1000).toString().padStart(3, '0')}${orders.toString().padStart(7, '0')}`;
            const discounts: EventEntry[] = [];
            const currency = CURRENCIES[place.currency] ?? { perUsd: 1, decimals: 2 };
            products = visit.cart.map((line) => {
              // Priced in the visitor's currency (`currency`), two decimals at most.
              const revenue = hundredths(localPrice(line.product.price, place.currency) * line.units) / 100;
              const p = product(line.product, line.units, revenue, visit.findingMethod);
              if (random.chance(0.2)) {
                // A line discount (merchandising event 12): product-level and listed on the hit.
                const discount = entry(Math.max(1, Math.round(hundredths(revenue) / 10)), -2);
                p.events.event12 = [discount];
                discounts.push({ ...discount });
              }
              return p;
            });
            const total = products.reduce((sum, p) => sum + hundredths(p.revenue), 0);
            pageName = 'checkout:confirmation';
            url = `${SITE_ORIGIN}/checkout/confirmation`;
            // Revenue as Livestream gives it since 2026: hundredths with exponent −2 (14999 → 149.99).
            events.revenue = [entry(total, -2)];
            // Shipping (a currency event), free from about $100 on: an event of value 0 is omitted.
            if (total < 100 * 100 * currency.perUsd) {
              const shipping =
                currency.decimals === 0
                  ? Math.round(9.95 * currency.perUsd)
                  : Math.round(9.95 * currency.perUsd) - 0.05;
              events.event5 = [entry(hundredths(shipping), -2)];
            }
            if (discounts.length) events.event12 = discounts;
            evars.eVar10 = purchaseId;
            visit.cart = [];
            break;
          }
        }
      }
      visit.page = isError ? (visit.page ?? 'home') : page;
      const previousUrl = visit.url;
      visit.url = url;

      hitCount += 1n;
      const nibble = BigInt(random.int(1, 15)) << 60n;
      const hitIdLow = nibble | scramble60((idOffset + hitCount) & MASK_60);
      const nowS = Math.floor(nowMs / 1000);
      const receivedTimeGMT = nowS - lagS();
      const timestamped = random.chance(TIMESTAMPED_SHARE);
      const ageS = timestamped
        ? Math.round(
            Math.exp(
              Math.log(TIMESTAMPED_MIN_AGE_S) +
                random.next() * (Math.log(TIMESTAMPED_MAX_AGE_S) - Math.log(TIMESTAMPED_MIN_AGE_S)),
            ),
          )
        : 0;
      // 1: a plain image request; 2: one with its own timestamp (an app's offline queue);
      // 6: a full-processing data-source row (timestamped too).
      const hitSource = timestamped ? (random.chance(0.8) ? 2 : 6) : 1;

      const excludedBy = visitor.internal
        ? EXCLUDE_REASONS.ip
        : random.chance(EXCLUDED_HIT_SHARE)
          ? random.chance(0.7)
            ? EXCLUDE_REASONS.rule
            : EXCLUDE_REASONS.missing
          : undefined;
      // Since 2026 Livestream leaves out the referrer (and search engine) of bots and excluded
      // hits, and the props of excluded hits.
      const hidden = visitor.bot || excludedBy !== undefined;
      const referrer = hidden ? '' : landing ? visit.entry.referrer : previousUrl;
      const searchEngine = !hidden && landing ? SEARCH_ENGINES[visit.entry.referrer] : undefined;
      const inTarget =
        visitor.target !== undefined && visitor.targetRoll < (style.a4t ? TARGET_SHARE_A4T : TARGET_SHARE);

      const device =
        style.deviceFields === 'mobile'
          ? { userAgent: '', ...visitor.device.mobile }
          : { userAgent: visitor.device.userAgent };

      const record: HitRecord = {
        reportSuite,
        pageName,
        pageURL: url,
        referrer,
        timeGMT: receivedTimeGMT - ageS,
        receivedTimeGMT,
        hitIdHigh: random.uint64().toString(),
        hitIdLow: hitIdLow.toString(),
        visIdHigh: visitor.visIdHigh,
        visIdLow: visitor.visIdLow,
        mcVisIdHigh: visitor.mcVisIdHigh,
        mcVisIdLow: visitor.mcVisIdLow,
        visIdType: visitor.visIdType,
        ...(visitor.customVisId !== undefined ? { customVisId: visitor.customVisId } : {}),
        geoCountry: place.country,
        geoRegion: place.region,
        geoCity: place.city,
        geoZip: place.zip,
        geoDMA: place.dma,
        lat: place.lat.toFixed(4),
        lon: place.lon.toFixed(4),
        languageAbbrev: place.locale,
        browser: visitor.device.browser,
        operatingSystem: visitor.device.operatingSystem,
        ...device,
        ip: visitor.ip,
        bot: visitor.bot ? '<Bot>' : '<Not a bot>',
        isErrorPage: isError,
        ...(searchEngine !== undefined ? { searchEngine } : {}),
        evars: { evars },
        props:
          excludedBy !== undefined
            ? {}
            : {
                prop1: section,
                prop2: place.locale,
                ...(visit.searchTerm && page === 'search' && !isError ? { prop3: visit.searchTerm } : {}),
              },
        events,
        ...(products && !isError ? { products } : {}),
        ...(!isError && page !== 'search'
          ? { hierarchies: { hier1: { delim: 58, values: ['shop', visit.category, section] } } }
          : {}),
        ...(mvvars && !isError ? { mvvars } : {}),
        ...(visitor.audiences.length ? { mcAudiences: { values: [...visitor.audiences], delim: 44 } } : {}),
        ...(purchaseId !== undefined && !isError ? { purchaseId } : {}),
        currency: place.currency,
        hitSource,
        exclude: excludedBy
          ? { id: excludedBy.id, value: 'yes', description: excludedBy.description }
          : { id: 0, value: 'no', description: 'include' },
        truncated: random.chance(TRUNCATED_SHARE),
      };
      if (inTarget && visitor.target) {
        const { campaignId } = TARGET_ACTIVITIES[visitor.target.activity] as (typeof TARGET_ACTIVITIES)[number];
        const recipeId = visitor.target.recipe;
        record.tnt = [{ campaignId, recipeId, trafficType: '0', actionId: '', actionName: '' }];
        // The visit's first hit in the activity counts an experience visit (never for bots).
        if (landing) {
          record.tntAction = [
            { campaignId, recipeId, trafficType: '0', actionId: '1', actionName: 'Experience Visit' },
          ];
        }
      }
      if (random.chance(SURPRISE_SHARE)) {
        const [name, value] = random.pick(SURPRISE_FIELDS);
        record[name] = value;
      }
      return record;
    },
  };
}
