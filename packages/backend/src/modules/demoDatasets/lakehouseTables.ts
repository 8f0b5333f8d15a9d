import type { DemoTable } from './warehouseTables';

/**
 * Tables the data teams made in the lakehouse themselves, already in snake_case. No
 * hand-written entity describes them: the demo's discovery (app-config.yaml) makes
 * their datasets. Small, so the first start stays fast.
 */
const EPOCH = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const CHANNELS = ['email', 'search', 'social', 'print'];
const TICKET_STATUSES = ['new', 'open', 'waiting', 'solved'];
const SUBJECTS = [
  'Kettle arrived dented',
  'Invoice address wrong',
  'Cannot log in',
  'Where is my order?',
  'Refund not received',
];

export const LAKEHOUSE_TABLES: DemoTable[] = [
  {
    name: 'daily_revenue',
    ddl: `CREATE TABLE daily_revenue (
      day DATE PRIMARY KEY,
      revenue_amount NUMERIC(14,2) NOT NULL,
      order_count INTEGER NOT NULL
    )`,
    rows: 365,
    columns: ['day', 'revenue_amount', 'order_count'],
    row: (i, r) => [
      isoDate(EPOCH + (i - 1) * DAY),
      Math.round(r.next() * 5_000_000) / 100,
      r.int(20, 900),
    ],
  },
  {
    name: 'marketing_campaigns',
    ddl: `CREATE TABLE marketing_campaigns (
      campaign_id INTEGER PRIMARY KEY,
      campaign_name TEXT NOT NULL,
      channel VARCHAR(16) NOT NULL,
      budget_amount NUMERIC(12,2),
      starts_on DATE NOT NULL
    )`,
    rows: 40,
    columns: [
      'campaign_id',
      'campaign_name',
      'channel',
      'budget_amount',
      'starts_on',
    ],
    row: (i, r) => [
      i,
      `Campaign ${i}`,
      r.pick(CHANNELS),
      r.chance(0.1) ? null : r.int(500, 50_000),
      isoDate(EPOCH + r.int(0, 364) * DAY),
    ],
  },
  {
    name: 'support_tickets',
    ddl: `CREATE TABLE support_tickets (
      ticket_id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL,
      status VARCHAR(16) NOT NULL,
      subject TEXT NOT NULL,
      opened_on DATE NOT NULL
    )`,
    rows: 500,
    columns: ['ticket_id', 'customer_id', 'status', 'subject', 'opened_on'],
    row: (i, r) => [
      i,
      r.int(1, 5_000),
      r.pick(TICKET_STATUSES),
      r.pick(SUBJECTS),
      isoDate(EPOCH + r.int(0, 364) * DAY),
    ],
  },
];
