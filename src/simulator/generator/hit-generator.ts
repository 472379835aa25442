import type { HitRecord } from '../../contract/index.ts';
import { createRandom, hashText, type Random } from './random.ts';
import {
  BOT_DEVICES,
  CATEGORIES,
  DEVICES,
  ENTRIES,
  PLACES,
  PRODUCTS,
  SEARCH_TERMS,
  SITE_ORIGIN,
  SURPRISE_FIELDS,
  type Device,
  type Entry,
  type Place,
  type Product,
} from './site-catalog.ts';

export interface HitGeneratorOptions {
  /** Same seed, same sequence of calls → same records. Default: a random seed. */
  seed?: number;
  /** Size of the pool of returning human visitors. Default 5000. */
  visitors?: number;
  /** Default `'summitoutfittersprod'`. */
  reportSuite?: string;
}

export interface HitGenerator {
  /**
   * The next hit of the site's traffic, as collected around `nowMs` (epoch ms): `timeGMT` is
   * 20 s to 5 min before it, `receivedTimeGMT` a little later but never after it (Unix seconds).
   */
  next(nowMs: number): HitRecord;
}

/** Share of visits that are crawlers; their longer visits make about 4 % of hits `bot: "<Bot>"`. */
const BOT_VISIT_SHARE = 0.035;
/** Share of page views that end on the error page (a stale product link). */
const ERROR_PAGE_SHARE = 0.015;
/** Share of hits carrying a field no documentation mentions yet. */
const SURPRISE_SHARE = 0.01;
/** How many visits are in progress at once; more spreads visitors over shards more evenly. */
const MAX_ACTIVE_VISITS = 96;
const BOT_POOL = 24;

type Page = 'home' | 'category' | 'search' | 'product' | 'cart' | 'checkout' | 'purchase';

interface Visitor {
  visIdHigh: string;
  visIdLow: string;
  mcVisIdHigh: string;
  mcVisIdLow: string;
  place: Place;
  device: Device;
  ip: string;
  bot: boolean;
  member: boolean;
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

function event(count = 1, exponent = 0, unique = ''): { count: number; exponent: number; unique: string }[] {
  return [{ count, exponent, unique }];
}

/**
 * Realistic Livestream records of a retail site: a pool of returning visitors (ids stable per
 * visitor, so sharding by visitor means something) whose visits follow plausible paths (landing,
 * category, product, cart, checkout, purchase; searches; bounces), crawlers, error pages,
 * commerce events with products and revenue in cents, and now and then an undocumented field.
 * 64-bit ids are decimal strings in [2^53, 2^64); hit ids are unique per generator.
 * Isomorphic: no Node or DOM APIs.
 */
export function createHitGenerator(options: HitGeneratorOptions = {}): HitGenerator {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const poolSize = Math.max(1, Math.floor(options.visitors ?? 5000));
  const reportSuite = options.reportSuite ?? 'summitoutfittersprod';
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
    return {
      visIdHigh: own.uint64().toString(),
      visIdLow: own.uint64().toString(),
      mcVisIdHigh: own.uint64().toString(),
      mcVisIdLow: own.uint64().toString(),
      place: bot ? { country: 'usa', region: 'ca', city: 'Mountain View', locale: 'en-US' } : own.weighted(PLACES),
      device: bot ? own.pick(BOT_DEVICES) : own.weighted(DEVICES),
      ip: publicIpv4(own),
      bot,
      member: !bot && own.chance(0.3),
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

  const product = (p: Product, units: number, revenue: number, findingMethod: string) => ({
    category: p.category,
    name: p.name,
    units,
    revenue,
    events: {},
    evars: { eVar20: findingMethod, eVar21: p.sku },
  });

  return {
    next(nowMs: number): HitRecord {
      let visit = pickVisit();
      let page = nextPage(visit);
      while (page === 'exit') {
        active.splice(active.indexOf(visit), 1);
        visit = startVisit();
        page = nextPage(visit);
      }
      const landing = visit.page === undefined;
      const referrer = landing ? visit.entry.referrer : visit.url;
      const { visitor } = visit;
      visit.pages += 1;

      const events: Record<string, unknown> = {};
      const evars: Record<string, unknown> = {
        eVar2: visitor.member ? 'member' : 'guest',
        eVar5: visitor.visits > 1 ? 'returning' : 'new',
      };
      if (landing && visit.entry.campaign) evars.campaign = visit.entry.campaign;
      let products: ReturnType<typeof product>[] | undefined;
      let pageName: string;
      let url: string;
      let pageType: string = page;

      const isError = !visitor.bot && random.chance(ERROR_PAGE_SHARE);
      if (isError) {
        const stale = `/p/${random.pick(['tn-3p-old', 'jk-2019-shell', 'summer-sale-2022', 'bp-30-classic'])}`;
        pageName = `404:${stale}`;
        url = `${SITE_ORIGIN}${stale}`;
        pageType = 'errorPage';
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
            events.event1 = event();
            if (results === 0) events.event2 = event();
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
            events.prodView = event();
            events.event3 = event();
            products = [product(chosen, 0, 0, visit.findingMethod)];
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
            events.scAdd = event();
            if (visit.cart.length === 1) events.scOpen = event();
            products = [product(added, units, 0, visit.findingMethod)];
            break;
          }
          case 'checkout':
            if (visit.cart.length === 0) visit.cart.push({ product: random.pick(PRODUCTS), units: 1 });
            pageName = 'checkout:shipping';
            url = `${SITE_ORIGIN}/checkout/shipping`;
            events.scCheckout = event();
            products = visit.cart.map((line) => product(line.product, line.units, 0, visit.findingMethod));
            break;
          case 'purchase': {
            if (visit.cart.length === 0) visit.cart.push({ product: random.pick(PRODUCTS), units: 1 });
            orders += 1;
            const orderId = `SO${(seed % 1000).toString().padStart(3, '0')}${orders.toString().padStart(7, '0')}`;
            products = visit.cart.map((line) =>
              product(line.product, line.units, line.product.price * line.units, visit.findingMethod),
            );
            const total = products.reduce((sum, p) => sum + p.revenue, 0);
            pageName = 'checkout:confirmation';
            url = `${SITE_ORIGIN}/checkout/confirmation`;
            events.purchase = event(1, 0, orderId);
            // Order value as a currency event: 12999 with exponent 2 reads 129.99.
            events.event5 = event(total, 2);
            evars.eVar10 = orderId;
            visit.cart = [];
            break;
          }
        }
      }
      visit.page = isError ? (visit.page ?? 'home') : page;
      visit.url = url;

      hitCount += 1n;
      const nibble = BigInt(random.int(1, 15)) << 60n;
      const hitIdLow = nibble | scramble60((idOffset + hitCount) & MASK_60);
      const nowS = Math.floor(nowMs / 1000);
      // Mostly 20–60 s behind, with a tail to 5 min.
      const latency = 20 + Math.floor(random.next() ** 3 * 280);
      const timeGMT = nowS - latency;
      const receivedTimeGMT = Math.min(nowS, timeGMT + random.int(1, 4));

      const record: HitRecord = {
        reportSuite,
        pageName,
        pageURL: url,
        referrer,
        timeGMT,
        receivedTimeGMT,
        hitIdHigh: random.uint64().toString(),
        hitIdLow: hitIdLow.toString(),
        visIdHigh: visitor.visIdHigh,
        visIdLow: visitor.visIdLow,
        mcVisIdHigh: visitor.mcVisIdHigh,
        mcVisIdLow: visitor.mcVisIdLow,
        visitNum: visitor.visits,
        visitPageNum: visit.pages,
        geoCountry: visitor.place.country,
        geoRegion: visitor.place.region,
        geoCity: visitor.place.city,
        browser: visitor.device.browser,
        operatingSystem: visitor.device.operatingSystem,
        userAgent: visitor.device.userAgent,
        ip: visitor.ip,
        bot: visitor.bot ? '<Bot>' : '<Not a bot>',
        isErrorPage: isError,
        pageType,
        evars: { evars },
        props: {
          prop1: pageType,
          prop2: visitor.place.locale,
          ...(visit.searchTerm && page === 'search' && !isError ? { prop3: visit.searchTerm } : {}),
        },
        events,
        ...(products && !isError ? { products } : {}),
        currency: 'USD',
        hitSource: 1,
      };
      if (random.chance(SURPRISE_SHARE)) {
        const [name, value] = random.pick(SURPRISE_FIELDS);
        record[name] = value;
      }
      return record;
    },
  };
}
