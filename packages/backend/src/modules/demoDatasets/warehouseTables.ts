import type { Random } from './random';

/**
 * The legacy warehouse: camelCase names, mixed types, nullable columns, a composite
 * key, a table without a primary key and one with 120k rows. Its default rules move
 * each table to snake_case inside the same file (so a compatibility view can stand at
 * the old name); `productCatalog` moves to the lakehouse file instead.
 */
export type DemoTable = {
  name: string;
  ddl: string;
  rows: number;
  columns: string[];
  row: (i: number, random: Random) => unknown[];
};

const FIRST = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Edsger',
  'Frances',
  'Dennis',
  'Radia',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Dijkstra',
  'Allen',
  'Ritchie',
  'Perlman',
];
const COUNTRIES = ['SE', 'DE', 'US', 'JP', 'BR', 'IN', 'FR', 'NL'];
const STATUSES = ['open', 'paid', 'shipped', 'cancelled'];
const CATEGORIES = ['audio', 'video', 'books', 'garden', 'kitchen'];
const PAGES = [
  '/',
  '/catalog',
  '/cart',
  '/checkout',
  '/account',
  '/search?q=kettle',
  '/p/ünïcode-kettle',
];
const ACTIONS = ['login', 'logout', 'export', 'grant', 'revoke'];
const EPOCH = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) =>
  new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const money = (random: Random, max: number) =>
  Math.round(random.next() * max * 100) / 100;
const sku = (n: number) => `SKU-${String(n).padStart(5, '0')}`;
const uuidish = (random: Random) =>
  Array.from({ length: 4 }, () =>
    random.int(0, 0xffffffff).toString(16).padStart(8, '0'),
  ).join('-');

export const WAREHOUSE_TABLES: DemoTable[] = [
  {
    name: 'customerAccounts',
    ddl: `CREATE TABLE "customerAccounts" (
      "id" INTEGER PRIMARY KEY,
      "fullName" TEXT NOT NULL,
      "emailAddress" VARCHAR(255) NOT NULL UNIQUE,
      "countryCode" CHAR(2),
      "creditLimit" NUMERIC(12,2),
      "isActive" BOOLEAN NOT NULL DEFAULT 1,
      "createdAt" DATETIME NOT NULL
    )`,
    rows: 5_000,
    columns: [
      'id',
      'fullName',
      'emailAddress',
      'countryCode',
      'creditLimit',
      'isActive',
      'createdAt',
    ],
    row: (i, r) => {
      const first = r.pick(FIRST);
      const last = r.pick(LAST);
      return [
        i,
        `${first} ${last}`,
        `${first}.${last}.${i}@example.com`.toLowerCase(),
        r.chance(0.1) ? null : r.pick(COUNTRIES),
        r.chance(0.2) ? null : money(r, 50_000),
        r.chance(0.9) ? 1 : 0,
        isoTime(EPOCH + r.int(0, 700) * DAY + r.int(0, DAY - 1)),
      ];
    },
  },
  {
    name: 'salesOrders',
    ddl: `CREATE TABLE "salesOrders" (
      "orderId" INTEGER PRIMARY KEY,
      "customerId" INTEGER NOT NULL,
      "orderDate" DATE NOT NULL,
      "totalAmount" DECIMAL(12,2) NOT NULL,
      "statusCode" VARCHAR(16) NOT NULL DEFAULT 'open',
      "notes" TEXT
    )`,
    rows: 20_000,
    columns: [
      'orderId',
      'customerId',
      'orderDate',
      'totalAmount',
      'statusCode',
      'notes',
    ],
    row: (i, r) => [
      i,
      r.int(1, 5_000),
      isoDate(EPOCH + r.int(0, 700) * DAY),
      money(r, 2_000),
      r.pick(STATUSES),
      r.chance(0.7) ? null : `Deliver to gate ${r.int(1, 40)}`,
    ],
  },
  {
    name: 'orderLines',
    ddl: `CREATE TABLE "orderLines" (
      "orderId" INTEGER NOT NULL,
      "lineNo" INTEGER NOT NULL,
      "productSku" VARCHAR(32) NOT NULL,
      "quantity" INTEGER NOT NULL,
      "unitPrice" DECIMAL(10,2) NOT NULL,
      "discountPct" REAL,
      PRIMARY KEY ("orderId", "lineNo")
    )`,
    rows: 50_000,
    columns: [
      'orderId',
      'lineNo',
      'productSku',
      'quantity',
      'unitPrice',
      'discountPct',
    ],
    // Every order gets a first line, two in five a second and a third.
    row: (i, r) => [
      ((i - 1) % 20_000) + 1,
      Math.floor((i - 1) / 20_000) + 1,
      sku(r.int(1, 500)),
      r.int(1, 12),
      money(r, 300),
      r.chance(0.6) ? null : r.pick([5, 10, 12.5, 25]),
    ],
  },
  {
    name: 'productCatalog',
    ddl: `CREATE TABLE "productCatalog" (
      "productSku" VARCHAR(32) PRIMARY KEY,
      "productName" TEXT NOT NULL,
      "categoryName" TEXT,
      "weightKg" REAL,
      "launchedOn" DATE NOT NULL,
      "isDiscontinued" BOOLEAN NOT NULL DEFAULT 0
    )`,
    rows: 500,
    columns: [
      'productSku',
      'productName',
      'categoryName',
      'weightKg',
      'launchedOn',
      'isDiscontinued',
    ],
    row: (i, r) => [
      sku(i),
      `${r.pick(['Quiet', 'Smart', 'Classic', 'Tiny'])} ${r.pick([
        'Kettle',
        'Lamp',
        'Speaker',
        'Novel',
        'Rake',
      ])} ${i}`,
      r.chance(0.15) ? null : r.pick(CATEGORIES),
      r.chance(0.25) ? null : Math.round(r.next() * 20_000) / 1000,
      isoDate(EPOCH - r.int(0, 1_500) * DAY),
      r.chance(0.1) ? 1 : 0,
    ],
  },
  {
    name: 'pageViewEvents',
    ddl: `CREATE TABLE "pageViewEvents" (
      "eventId" INTEGER PRIMARY KEY,
      "sessionId" CHAR(35) NOT NULL,
      "pageUrl" TEXT NOT NULL,
      "viewedAt" DATETIME NOT NULL,
      "durationMs" INTEGER,
      "referrerUrl" TEXT
    )`,
    rows: 120_000,
    columns: [
      'eventId',
      'sessionId',
      'pageUrl',
      'viewedAt',
      'durationMs',
      'referrerUrl',
    ],
    row: (i, r) => [
      i,
      uuidish(r),
      r.pick(PAGES),
      isoTime(EPOCH + i * 500_000),
      r.chance(0.05) ? null : r.int(50, 120_000),
      r.chance(0.6) ? null : `https://search.example/?q=${r.int(1, 999)}`,
    ],
  },
  {
    name: 'legacyAuditLog',
    // No primary key: the legacy system only ever appended to it.
    ddl: `CREATE TABLE "legacyAuditLog" (
      "loggedAt" DATETIME NOT NULL,
      "actorName" TEXT NOT NULL,
      "actionText" VARCHAR(64) NOT NULL,
      "payloadJson" TEXT
    )`,
    rows: 2_000,
    columns: ['loggedAt', 'actorName', 'actionText', 'payloadJson'],
    row: (i, r) => [
      isoTime(EPOCH + i * 3_600_000),
      r.pick(FIRST).toLowerCase(),
      r.pick(ACTIONS),
      r.chance(0.3)
        ? null
        : JSON.stringify({ ip: `10.0.${r.int(0, 255)}.${r.int(1, 254)}` }),
    ],
  },
];
