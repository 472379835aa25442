/**
 * The fictional retail site the simulator's traffic comes from: an outdoor-gear shop with a
 * catalogue, visitors' places and devices, referrers and search terms. Weights are relative.
 * Some names are deliberately non-ASCII so that multi-byte UTF-8 crosses chunk boundaries.
 */

export const SITE_ORIGIN = 'https://www.summit-outfitters.example';

export interface Product {
  sku: string;
  name: string;
  category: string;
  /** Unit price in cents. */
  price: number;
}

export const CATEGORIES = ['tents', 'sleeping-bags', 'backpacks', 'footwear', 'jackets', 'climbing'] as const;

export const PRODUCTS: readonly Product[] = [
  { sku: 'TN-2P-ULT', name: 'Ultralight 2-Person Tent', category: 'tents', price: 34900 },
  { sku: 'TN-4P-FAM', name: 'Family Dome Tent 4P', category: 'tents', price: 27900 },
  { sku: 'TN-1P-BIV', name: 'Alpine Bivy Shelter', category: 'tents', price: 18900 },
  { sku: 'SB-DWN-M5', name: 'Down Sleeping Bag −5 °C', category: 'sleeping-bags', price: 29900 },
  { sku: 'SB-SYN-10', name: 'Synthetic Bag 10 °C', category: 'sleeping-bags', price: 8900 },
  { sku: 'SB-PAD-IN', name: 'Insulated Sleeping Pad', category: 'sleeping-bags', price: 12900 },
  { sku: 'BP-45-TRK', name: 'Trekking Pack 45 L', category: 'backpacks', price: 17900 },
  { sku: 'BP-22-DAY', name: 'Daypack 22 L', category: 'backpacks', price: 7900 },
  { sku: 'BP-65-EXP', name: 'Expedition Pack 65 L', category: 'backpacks', price: 26900 },
  { sku: 'FW-TRL-RN', name: 'Trail Running Shoe', category: 'footwear', price: 13900 },
  { sku: 'FW-HKB-GTX', name: 'Waterproof Hiking Boot', category: 'footwear', price: 21900 },
  { sku: 'FW-SCK-MRN', name: 'Merino Hiking Socks (2-pack)', category: 'footwear', price: 2400 },
  { sku: 'JK-RN-SHL', name: 'Rain Shell Jacket', category: 'jackets', price: 18900 },
  { sku: 'JK-DWN-HD', name: 'Hooded Down Jacket', category: 'jackets', price: 24900 },
  { sku: 'JK-FLC-MD', name: 'Midweight Fleece', category: 'jackets', price: 8900 },
  { sku: 'CL-HRN-AD', name: 'Adjustable Climbing Harness', category: 'climbing', price: 7900 },
  { sku: 'CL-RP-60M', name: 'Dynamic Rope 9.8 mm × 60 m', category: 'climbing', price: 21900 },
  { sku: 'CL-HLM-LT', name: 'Lightweight Helmet', category: 'climbing', price: 9900 },
];

export interface Place {
  country: string;
  region: string;
  city: string;
  locale: string;
  /** `geoZip` (empty where Adobe's geo lookup has none). */
  zip: string;
  /** `geoDMA`: the Nielsen US DMA code, 0 outside the US. */
  dma: number;
  /** `lat`/`lon` of the place (Adobe's IP geolocation gives the city, not the visitor). */
  lat: number;
  lon: number;
  /** The `currencyCode` the site uses there (ISO 4217). */
  currency: string;
}

/** Country codes as Adobe writes them (ISO 3166 alpha-3, lower case). */
export const PLACES: readonly (readonly [Place, number])[] = [
  [
    {
      country: 'usa',
      region: 'ny',
      city: 'New York',
      locale: 'en-US',
      zip: '10001',
      dma: 501,
      lat: 40.7506,
      lon: -73.9972,
      currency: 'USD',
    },
    14,
  ],
  [
    {
      country: 'usa',
      region: 'ca',
      city: 'Los Angeles',
      locale: 'en-US',
      zip: '90012',
      dma: 803,
      lat: 34.0614,
      lon: -118.2385,
      currency: 'USD',
    },
    11,
  ],
  [
    {
      country: 'usa',
      region: 'ca',
      city: 'San José',
      locale: 'en-US',
      zip: '95113',
      dma: 807,
      lat: 37.3337,
      lon: -121.8907,
      currency: 'USD',
    },
    5,
  ],
  [
    {
      country: 'usa',
      region: 'il',
      city: 'Chicago',
      locale: 'en-US',
      zip: '60601',
      dma: 602,
      lat: 41.8858,
      lon: -87.6181,
      currency: 'USD',
    },
    7,
  ],
  [
    {
      country: 'usa',
      region: 'wa',
      city: 'Seattle',
      locale: 'en-US',
      zip: '98101',
      dma: 819,
      lat: 47.6114,
      lon: -122.3305,
      currency: 'USD',
    },
    6,
  ],
  [
    {
      country: 'usa',
      region: 'co',
      city: 'Denver',
      locale: 'en-US',
      zip: '80202',
      dma: 751,
      lat: 39.7525,
      lon: -104.9995,
      currency: 'USD',
    },
    5,
  ],
  [
    {
      country: 'can',
      region: 'qc',
      city: 'Montréal',
      locale: 'fr-CA',
      zip: 'H2Y',
      dma: 0,
      lat: 45.5017,
      lon: -73.5673,
      currency: 'CAD',
    },
    4,
  ],
  [
    {
      country: 'can',
      region: 'bc',
      city: 'Vancouver',
      locale: 'en-CA',
      zip: 'V6B',
      dma: 0,
      lat: 49.2827,
      lon: -123.1207,
      currency: 'CAD',
    },
    3,
  ],
  [
    {
      country: 'mex',
      region: 'cmx',
      city: 'Ciudad de México',
      locale: 'es-MX',
      zip: '06000',
      dma: 0,
      lat: 19.4326,
      lon: -99.1332,
      currency: 'MXN',
    },
    3,
  ],
  [
    {
      country: 'bra',
      region: 'sp',
      city: 'São Paulo',
      locale: 'pt-BR',
      zip: '01000',
      dma: 0,
      lat: -23.5505,
      lon: -46.6333,
      currency: 'BRL',
    },
    5,
  ],
  [
    {
      country: 'bra',
      region: 'rj',
      city: 'Rio de Janeiro',
      locale: 'pt-BR',
      zip: '20000',
      dma: 0,
      lat: -22.9068,
      lon: -43.1729,
      currency: 'BRL',
    },
    2,
  ],
  [
    {
      country: 'gbr',
      region: 'eng',
      city: 'London',
      locale: 'en-GB',
      zip: 'EC1A',
      dma: 0,
      lat: 51.5072,
      lon: -0.1276,
      currency: 'GBP',
    },
    7,
  ],
  [
    {
      country: 'fra',
      region: 'idf',
      city: 'Paris',
      locale: 'fr-FR',
      zip: '75001',
      dma: 0,
      lat: 48.8606,
      lon: 2.3376,
      currency: 'EUR',
    },
    5,
  ],
  [
    {
      country: 'deu',
      region: 'by',
      city: 'München',
      locale: 'de-DE',
      zip: '80331',
      dma: 0,
      lat: 48.1374,
      lon: 11.5755,
      currency: 'EUR',
    },
    4,
  ],
  [
    {
      country: 'deu',
      region: 'nw',
      city: 'Köln',
      locale: 'de-DE',
      zip: '50667',
      dma: 0,
      lat: 50.9375,
      lon: 6.9603,
      currency: 'EUR',
    },
    2,
  ],
  [
    {
      country: 'che',
      region: 'zh',
      city: 'Zürich',
      locale: 'de-CH',
      zip: '8001',
      dma: 0,
      lat: 47.3769,
      lon: 8.5417,
      currency: 'CHF',
    },
    3,
  ],
  [
    {
      country: 'che',
      region: 'ge',
      city: 'Genève',
      locale: 'fr-CH',
      zip: '1201',
      dma: 0,
      lat: 46.2044,
      lon: 6.1432,
      currency: 'CHF',
    },
    1,
  ],
  [
    {
      country: 'swe',
      region: 'm',
      city: 'Malmö',
      locale: 'sv-SE',
      zip: '211 20',
      dma: 0,
      lat: 55.605,
      lon: 13.0038,
      currency: 'SEK',
    },
    1,
  ],
  [
    {
      country: 'pol',
      region: '12',
      city: 'Kraków',
      locale: 'pl-PL',
      zip: '31-000',
      dma: 0,
      lat: 50.0647,
      lon: 19.945,
      currency: 'PLN',
    },
    1,
  ],
  [
    {
      country: 'jpn',
      region: '13',
      city: '東京',
      locale: 'ja-JP',
      zip: '100-0001',
      dma: 0,
      lat: 35.6812,
      lon: 139.7671,
      currency: 'JPY',
    },
    5,
  ],
  [
    {
      country: 'jpn',
      region: '27',
      city: '大阪',
      locale: 'ja-JP',
      zip: '530-0001',
      dma: 0,
      lat: 34.7025,
      lon: 135.4959,
      currency: 'JPY',
    },
    2,
  ],
  [
    {
      country: 'kor',
      region: '11',
      city: '서울',
      locale: 'ko-KR',
      zip: '',
      dma: 0,
      lat: 37.5665,
      lon: 126.978,
      currency: 'KRW',
    },
    2,
  ],
  [
    {
      country: 'aus',
      region: 'nsw',
      city: 'Sydney',
      locale: 'en-AU',
      zip: '2000',
      dma: 0,
      lat: -33.8688,
      lon: 151.2093,
      currency: 'AUD',
    },
    3,
  ],
];

/** Where crawlers come from. */
export const BOT_PLACE: Place = {
  country: 'usa',
  region: 'ca',
  city: 'Mountain View',
  locale: 'en-US',
  zip: '94043',
  dma: 807,
  lat: 37.4223,
  lon: -122.0848,
  currency: 'USD',
};

/**
 * The site's prices abroad: units of the currency per US dollar (a fixed day's rate) and its
 * decimals. Local prices end in .99 (whole hundreds without decimals); a hit's revenue is in its
 * `currency`.
 */
export const CURRENCIES: Readonly<Record<string, { perUsd: number; decimals: number }>> = {
  USD: { perUsd: 1, decimals: 2 },
  CAD: { perUsd: 1.37, decimals: 2 },
  MXN: { perUsd: 17.1, decimals: 2 },
  BRL: { perUsd: 5.1, decimals: 2 },
  GBP: { perUsd: 0.79, decimals: 2 },
  EUR: { perUsd: 0.92, decimals: 2 },
  CHF: { perUsd: 0.9, decimals: 2 },
  SEK: { perUsd: 10.8, decimals: 2 },
  PLN: { perUsd: 4.0, decimals: 2 },
  JPY: { perUsd: 155, decimals: 0 },
  KRW: { perUsd: 1370, decimals: 0 },
  AUD: { perUsd: 1.52, decimals: 2 },
};

/**
 * What Adobe's device lookup gives for a device: the `mobile*` fields Livestream fills since
 * 2026-04-13 instead of `userAgent` (desktops too: type `Desktop`).
 */
export interface MobileFields {
  mobileDeviceType: string;
  mobileDeviceName: string;
  mobileManufacturer: string;
  mobileScreenWidth: number;
  mobileScreenHeight: number;
  mobileCookieSupport: boolean;
  mobileColorDepth: number;
  /** Supported formats, comma-separated (2026 release notes; the variable reference says boolean). */
  mobileAudioSupport: string;
  mobileVideoSupport: string;
}

export interface Device {
  browser: string;
  operatingSystem: string;
  userAgent: string;
  mobile: MobileFields;
}

const desktop = (name: string, manufacturer: string, width: number, height: number): MobileFields => ({
  mobileDeviceType: 'Desktop',
  mobileDeviceName: name,
  mobileManufacturer: manufacturer,
  mobileScreenWidth: width,
  mobileScreenHeight: height,
  mobileCookieSupport: true,
  mobileColorDepth: 24,
  mobileAudioSupport: 'AAC,MP3,OGG,WAV',
  mobileVideoSupport: 'H.264,VP9,AV1',
});

const handheld = (
  type: 'Mobile Phone' | 'Tablet',
  name: string,
  manufacturer: string,
  width: number,
  height: number,
): MobileFields => ({
  mobileDeviceType: type,
  mobileDeviceName: name,
  mobileManufacturer: manufacturer,
  mobileScreenWidth: width,
  mobileScreenHeight: height,
  mobileCookieSupport: true,
  mobileColorDepth: 24,
  mobileAudioSupport: manufacturer === 'Apple' ? 'AAC,MP3,WAV' : 'AAC,MP3,OGG',
  mobileVideoSupport: manufacturer === 'Apple' ? 'H.264,HEVC' : 'H.264,VP9',
});

export const DEVICES: readonly (readonly [Device, number])[] = [
  [
    {
      browser: 'Google Chrome 124.0',
      operatingSystem: 'Windows 10',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      mobile: desktop('Windows PC', 'Unknown', 1920, 1080),
    },
    30,
  ],
  [
    {
      browser: 'Apple Safari 17.4',
      operatingSystem: 'iOS 17.4',
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      mobile: handheld('Mobile Phone', 'iPhone', 'Apple', 390, 844),
    },
    18,
  ],
  [
    {
      browser: 'Apple Safari 17.4',
      operatingSystem: 'iPadOS 17.4',
      userAgent:
        'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      mobile: handheld('Tablet', 'iPad', 'Apple', 820, 1180),
    },
    4,
  ],
  [
    {
      browser: 'Google Chrome 124.0',
      operatingSystem: 'Android 14',
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
      mobile: handheld('Mobile Phone', 'Pixel 8', 'Google', 412, 915),
    },
    18,
  ],
  [
    {
      browser: 'Apple Safari 17.4',
      operatingSystem: 'macOS 14',
      userAgent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      mobile: desktop('Mac', 'Apple', 1512, 982),
    },
    10,
  ],
  [
    {
      browser: 'Microsoft Edge 124.0',
      operatingSystem: 'Windows 11',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
      mobile: desktop('Windows PC', 'Unknown', 2560, 1440),
    },
    9,
  ],
  [
    {
      browser: 'Mozilla Firefox 125.0',
      operatingSystem: 'Linux',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
      mobile: desktop('Linux PC', 'Unknown', 1920, 1200),
    },
    4,
  ],
  [
    {
      browser: 'Mozilla Firefox 125.0',
      operatingSystem: 'Windows 10',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
      mobile: desktop('Windows PC', 'Unknown', 1366, 768),
    },
    4,
  ],
  [
    {
      browser: 'Samsung Internet 24.0',
      operatingSystem: 'Android 13',
      userAgent:
        'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
      mobile: handheld('Mobile Phone', 'Galaxy S23', 'Samsung', 360, 780),
    },
    3,
  ],
];

export const BOT_DEVICES: readonly Device[] = [
  {
    browser: 'Google Chrome 124.0',
    operatingSystem: 'Linux',
    userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    mobile: desktop('Other', 'Unknown', 0, 0),
  },
  {
    browser: 'Microsoft Edge 124.0',
    operatingSystem: 'Windows 10',
    userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    mobile: desktop('Other', 'Unknown', 0, 0),
  },
  {
    browser: 'Other',
    operatingSystem: 'Not Specified',
    userAgent: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
    mobile: desktop('Other', 'Unknown', 0, 0),
  },
];

export interface Entry {
  /** Where the visit came from (empty: typed URL or bookmark). */
  referrer: string;
  /** Tracking code, for paid and owned campaigns. */
  campaign?: string;
}

export const ENTRIES: readonly (readonly [Entry, number])[] = [
  [{ referrer: 'https://www.google.com/' }, 34],
  [{ referrer: '' }, 22],
  [{ referrer: 'https://www.bing.com/' }, 6],
  [{ referrer: 'https://duckduckgo.com/' }, 3],
  [{ referrer: 'https://www.google.com/', campaign: 'ps:google:tents-brand' }, 9],
  [{ referrer: 'https://www.instagram.com/', campaign: 'so:instagram:summer-trails' }, 5],
  [{ referrer: 'https://www.facebook.com/' }, 4],
  [{ referrer: '', campaign: 'em:newsletter:2024-w18' }, 8],
  [{ referrer: 'https://www.outdoor-forum.example/t/best-2p-tent' }, 3],
  [{ referrer: 'https://t.co/x9Kq2LmZ' }, 2],
];

export const SEARCH_TERMS: readonly string[] = [
  'tent',
  '2 person tent',
  'rain jacket',
  'trail running shoes',
  'sleeping bag -5',
  'headlamp',
  'wanderschuhe',
  'sac à dos 45l',
  'テント',
  'merino socks',
  'climbing rope',
];

/** Unknown fields Livestream may start sending without notice; clients must keep them. */
export const SURPRISE_FIELDS: readonly (readonly [string, unknown])[] = [
  ['consent', { analytics: 'in', personalization: 'pending' }],
  ['edgeRegion', 'va6'],
  ['experienceVersion', 3],
  ['pageEventType', 0],
  ['contextData', { 'a.AppID': 'Summit 4.2.0 (612)', 'a.locale': 'en-US' }],
];

/** Adobe Target activities running on the site (A4T): `tnt` entries, one recipe each. */
export const TARGET_ACTIVITIES: readonly { campaignId: string; recipes: readonly string[] }[] = [
  { campaignId: '312024', recipes: ['0', '1'] },
  { campaignId: '318877', recipes: ['0', '1', '2'] },
  { campaignId: '320051', recipes: ['1', '2'] },
];

/** Audience Manager segment ids visitors may belong to (`mcAudiences`). */
export const AUDIENCE_SEGMENTS: readonly string[] = [
  '14532210',
  '14532211',
  '15099872',
  '16004417',
  '16004418',
  '17211090',
];

/** Interests a product page lists in list variable 1 (`mvvars`). */
export const INTERESTS: Readonly<Record<string, readonly string[]>> = {
  tents: ['camping', 'backpacking'],
  'sleeping-bags': ['camping', 'winter'],
  backpacks: ['hiking', 'backpacking', 'travel'],
  footwear: ['hiking', 'trail running'],
  jackets: ['hiking', 'winter', 'rain'],
  climbing: ['climbing', 'alpinism'],
};

/**
 * Why Adobe excludes a hit (`exclude.id` as the data feed's `exclude_hit`): by IP (the shop's
 * own offices), by a processing rule, or because vital data was missing.
 */
export const EXCLUDE_REASONS = {
  ip: { id: 4, description: 'IP address exclusion' },
  rule: { id: 7, description: 'Account-specific exclusion' },
  missing: { id: 5, description: 'Missing vital hit information' },
} as const;
