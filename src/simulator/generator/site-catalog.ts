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
}

/** Country codes as Adobe writes them (ISO 3166 alpha-3, lower case). */
export const PLACES: readonly (readonly [Place, number])[] = [
  [{ country: 'usa', region: 'ny', city: 'New York', locale: 'en-US' }, 14],
  [{ country: 'usa', region: 'ca', city: 'Los Angeles', locale: 'en-US' }, 11],
  [{ country: 'usa', region: 'ca', city: 'San José', locale: 'en-US' }, 5],
  [{ country: 'usa', region: 'il', city: 'Chicago', locale: 'en-US' }, 7],
  [{ country: 'usa', region: 'wa', city: 'Seattle', locale: 'en-US' }, 6],
  [{ country: 'usa', region: 'co', city: 'Denver', locale: 'en-US' }, 5],
  [{ country: 'can', region: 'qc', city: 'Montréal', locale: 'fr-CA' }, 4],
  [{ country: 'can', region: 'bc', city: 'Vancouver', locale: 'en-CA' }, 3],
  [{ country: 'mex', region: 'cmx', city: 'Ciudad de México', locale: 'es-MX' }, 3],
  [{ country: 'bra', region: 'sp', city: 'São Paulo', locale: 'pt-BR' }, 5],
  [{ country: 'bra', region: 'rj', city: 'Rio de Janeiro', locale: 'pt-BR' }, 2],
  [{ country: 'gbr', region: 'eng', city: 'London', locale: 'en-GB' }, 7],
  [{ country: 'fra', region: 'idf', city: 'Paris', locale: 'fr-FR' }, 5],
  [{ country: 'deu', region: 'by', city: 'München', locale: 'de-DE' }, 4],
  [{ country: 'deu', region: 'nw', city: 'Köln', locale: 'de-DE' }, 2],
  [{ country: 'che', region: 'zh', city: 'Zürich', locale: 'de-CH' }, 3],
  [{ country: 'che', region: 'ge', city: 'Genève', locale: 'fr-CH' }, 1],
  [{ country: 'swe', region: 'm', city: 'Malmö', locale: 'sv-SE' }, 1],
  [{ country: 'pol', region: '12', city: 'Kraków', locale: 'pl-PL' }, 1],
  [{ country: 'jpn', region: '13', city: '東京', locale: 'ja-JP' }, 5],
  [{ country: 'jpn', region: '27', city: '大阪', locale: 'ja-JP' }, 2],
  [{ country: 'kor', region: '11', city: '서울', locale: 'ko-KR' }, 2],
  [{ country: 'aus', region: 'nsw', city: 'Sydney', locale: 'en-AU' }, 3],
];

export interface Device {
  browser: string;
  operatingSystem: string;
  userAgent: string;
}

export const DEVICES: readonly (readonly [Device, number])[] = [
  [
    {
      browser: 'Google Chrome 124.0',
      operatingSystem: 'Windows 10',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    },
    30,
  ],
  [
    {
      browser: 'Apple Safari 17.4',
      operatingSystem: 'iOS 17.4',
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    },
    22,
  ],
  [
    {
      browser: 'Google Chrome 124.0',
      operatingSystem: 'Android 14',
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    },
    18,
  ],
  [
    {
      browser: 'Apple Safari 17.4',
      operatingSystem: 'macOS 14',
      userAgent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    },
    10,
  ],
  [
    {
      browser: 'Microsoft Edge 124.0',
      operatingSystem: 'Windows 11',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
    },
    9,
  ],
  [
    {
      browser: 'Mozilla Firefox 125.0',
      operatingSystem: 'Linux',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    },
    4,
  ],
  [
    {
      browser: 'Mozilla Firefox 125.0',
      operatingSystem: 'Windows 10',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    },
    4,
  ],
  [
    {
      browser: 'Samsung Internet 24.0',
      operatingSystem: 'Android 13',
      userAgent:
        'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
    },
    3,
  ],
];

export const BOT_DEVICES: readonly Device[] = [
  {
    browser: 'Google Chrome 124.0',
    operatingSystem: 'Linux',
    userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  {
    browser: 'Microsoft Edge 124.0',
    operatingSystem: 'Windows 10',
    userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  },
  {
    browser: 'Other',
    operatingSystem: 'Not Specified',
    userAgent: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
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
  ['mvvars', { list1: ['hiking', 'camping'] }],
  ['tnt', '312024:1:0'],
  ['experienceVersion', 3],
];
