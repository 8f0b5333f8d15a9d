import type {
  CampaignCapLoad,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { ConcurrencyCaps, connectionCap } from './concurrencyCaps';

const M = 'dm_migrations';

/** A migration in one of these holds its place under the caps, leased or not. */
export const STARTED_STATUSES: MigrationStatus[] = [
  'running',
  'rolling_back',
  'cleaning_up',
];

/** What runs now against each cap, and what may not start because of it. */
export type CapState = {
  /** Every cap with load, every connection with an override, every active campaign. */
  loads: CampaignCapLoad[];
  saturated: { sources: string[]; targets: string[]; owners: string[] };
  /** Active campaigns under their running cap and their start rate. */
  openCampaigns: string[];
  /** Per campaign: starts in the last 60 s, and claimed ones about to start. */
  startsLastMinute: Map<string, number>;
};

/**
 * Queued migrations a worker claimed and has not marked running yet (their lease is
 * live): they hold a place under the caps, and count as starts of their campaign.
 */
export const claimedToStart = (q: Knex.QueryBuilder, now: Date) =>
  q.where('status', 'queued').andWhere('lease_expires_at', '>=', now);

/** Running in the caps' sense: a started status, or claimed to start. */
export const holdsAPlace = (q: Knex.QueryBuilder, now: Date) =>
  q.where(b =>
    b
      .whereIn('status', STARTED_STATUSES)
      .orWhere(b2 => claimedToStart(b2, now)),
  );

function tally(values: Array<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    if (value !== null && value !== undefined)
      counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

/**
 * Reads the load on every cap in two indexed queries, neither of which reads finished
 * migrations: the running ones (started statuses, and queued ones a worker claimed and
 * has not marked running yet, whose lease is live), and the active campaigns with
 * their starts of the last minute.
 */
export async function readCapState(
  db: Knex,
  caps: ConcurrencyCaps,
  now: Date,
): Promise<CapState> {
  const running: Array<{
    status: MigrationStatus;
    connection: string;
    target_connection: string | null;
    owner_ref: string | null;
    campaign_id: string | null;
  }> = await holdsAPlace(
    db(M).select(
      'status',
      'connection',
      'target_connection',
      'owner_ref',
      'campaign_id',
    ),
    now,
  );
  // Each active campaign with its starts of the last minute (a subquery per campaign).
  const campaigns: Array<{
    id: string;
    max_running: number;
    starts_per_minute: number;
    started: number | string;
  }> = await db('dm_campaigns as c')
    .where('c.status', 'active')
    .select(
      'c.id',
      'c.max_running',
      'c.starts_per_minute',
      db(M)
        .whereRaw('??.?? = ??.??', [M, 'campaign_id', 'c', 'id'])
        .where('started_at', '>=', new Date(now.getTime() - 60_000))
        .count('*')
        .as('started'),
    );

  const sources = tally(running.map(r => r.connection));
  const targets = tally(running.map(r => r.target_connection));
  const owners = tally(running.map(r => r.owner_ref));
  const campaignRunning = tally(running.map(r => r.campaign_id));
  const startsLastMinute = tally(
    running.filter(r => r.status === 'queued').map(r => r.campaign_id),
  );
  for (const campaign of campaigns) {
    startsLastMinute.set(
      campaign.id,
      (startsLastMinute.get(campaign.id) ?? 0) + Number(campaign.started),
    );
  }

  const loads: CampaignCapLoad[] = [];
  const saturated: CapState['saturated'] = {
    sources: [],
    targets: [],
    owners: [],
  };
  for (const [role, counts, list] of [
    ['source', sources, saturated.sources],
    ['target', targets, saturated.targets],
  ] as const) {
    const names = new Set([...counts.keys(), ...Object.keys(caps.connections)]);
    for (const name of [...names].sort()) {
      const cap = connectionCap(caps, name, role);
      const load = counts.get(name) ?? 0;
      loads.push({ scope: `${role}-connection:${name}`, cap, running: load });
      if (load >= cap) list.push(name);
    }
  }
  for (const [owner, load] of [...owners].sort()) {
    loads.push({ scope: `owner:${owner}`, cap: caps.perOwner, running: load });
    if (load >= caps.perOwner) saturated.owners.push(owner);
  }
  const openCampaigns: string[] = [];
  for (const campaign of campaigns) {
    const load = campaignRunning.get(campaign.id) ?? 0;
    loads.push({
      scope: `campaign:${campaign.id}`,
      cap: Number(campaign.max_running),
      running: load,
    });
    if (
      load < Number(campaign.max_running) &&
      (startsLastMinute.get(campaign.id) ?? 0) <
        Number(campaign.starts_per_minute)
    ) {
      openCampaigns.push(campaign.id);
    }
  }
  return { loads, saturated, openCampaigns, startsLastMinute };
}
