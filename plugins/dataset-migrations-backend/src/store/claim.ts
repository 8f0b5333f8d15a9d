import type { Knex } from 'knex';
import { readCapState, STARTED_STATUSES } from './capLoads';
import type { ConcurrencyCaps } from './concurrencyCaps';

const M = 'dm_migrations';

type Lease = { workerId: string; expires: Date; now: Date };

/**
 * The migration a claim leased: its id, and on PostgreSQL its row as the claiming
 * update returned it (`RETURNING *`), so the caller need not read it again.
 */
export type Claimed = { id: string; row?: Record<string, unknown> };

const leaseIsFree = (q: Knex.QueryBuilder, now: Date) =>
  q.andWhere(b =>
    b.whereNull('lease_owner').orWhere('lease_expires_at', '<', now),
  );

/**
 * Migrations already under way whose lease is free: started ones (a retry's backoff
 * passed), and awaiting_cleanup ones whose grace period is over. Each branch is a range
 * of the (status, run_after) index, so finished history is never read.
 */
function startedRunnable(q: Knex.QueryBuilder, now: Date) {
  return leaseIsFree(
    q.where(b =>
      b
        .where(b1 =>
          b1
            .whereIn('status', STARTED_STATUSES)
            .andWhere(b2 =>
              b2.whereNull('run_after').orWhere('run_after', '<=', now),
            ),
        )
        .orWhere(b1 =>
          b1
            .where('status', 'awaiting_cleanup')
            .andWhere('run_after', '<=', now),
        ),
    ),
    now,
  );
}

/** Queued migrations whose backoff passed and whose lease is free: (status, created_at). */
function queuedRunnable(q: Knex.QueryBuilder, now: Date) {
  return leaseIsFree(
    q
      .where('status', 'queued')
      .andWhere(b => b.whereNull('run_after').orWhere('run_after', '<=', now)),
    now,
  );
}

/**
 * Claims a migration already under way, as it always was: its place under the caps was
 * taken when it started. PostgreSQL skips rows other workers are locking; other engines
 * use a guarded update, so whoever changes the row owns the lease.
 */
export async function claimStarted(
  db: Knex,
  isPostgres: boolean,
  { workerId, expires, now }: Lease,
): Promise<Claimed | undefined> {
  if (isPostgres) {
    // One statement: the row lock of the subquery holds until the update that follows
    // it in the same statement, so one round trip where a transaction took four (and
    // three when, as on most polls, nothing is found).
    // A scalar subquery (`id = (...)`) runs once, as an init plan.
    const rows: Array<Record<string, unknown>> = await db(M)
      .where(
        'id',
        startedRunnable(db(M).select('id'), now)
          .orderBy('created_at')
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .update({ lease_owner: workerId, lease_expires_at: expires }, '*');
    return rows[0] ? { id: rows[0].id as string, row: rows[0] } : undefined;
  }
  const candidates = await startedRunnable(db(M).select('id'), now)
    .orderBy('created_at')
    .limit(5);
  for (const { id } of candidates) {
    const changed = await leaseIsFree(db(M).where({ id }), now).update({
      lease_owner: workerId,
      lease_expires_at: expires,
    });
    if (changed === 1) return { id };
  }
  return undefined;
}

/**
 * Claims the oldest queued migration whose start keeps every cap: per source and target
 * connection, per owner, and its campaign's running cap, start rate and status (only
 * active campaigns start work). Checking the caps and taking the lease is one critical
 * section for every instance on the database, or two instances could each take the
 * last free place: PostgreSQL takes a transaction-scoped advisory lock; MySQL/MariaDB
 * and SQLite update the one row of dm_claim_lock first (a row lock until commit; SQLite's
 * write lock, taken before reading so that the transaction never has to upgrade).
 */
export async function claimQueued(
  db: Knex,
  isPostgres: boolean,
  caps: ConcurrencyCaps,
  { workerId, expires }: Omit<Lease, 'now'>,
): Promise<Claimed | undefined> {
  // Most polls find nothing queued: answer those without taking the lock.
  const anything = await queuedRunnable(db(M).select('id'), new Date()).first();
  if (!anything) return undefined;
  return db.transaction(async trx => {
    if (isPostgres) {
      await trx.raw(
        `SELECT pg_advisory_xact_lock(hashtext('dataset-migrations:claim'))`,
      );
    } else {
      await trx('dm_claim_lock')
        .where({ id: 1 })
        .update({ taken_at: new Date() });
    }
    // After the lock: every claim made before it is committed and visible now.
    const now = new Date();
    const { saturated, openCampaigns } = await readCapState(trx, caps, now);
    const q = queuedRunnable(trx(M).select('id'), now);
    if (saturated.sources.length) q.whereNotIn('connection', saturated.sources);
    if (saturated.targets.length) {
      q.andWhere(b =>
        b
          .whereNull('target_connection')
          .orWhereNotIn('target_connection', saturated.targets),
      );
    }
    if (saturated.owners.length) {
      q.andWhere(b =>
        b.whereNull('owner_ref').orWhereNotIn('owner_ref', saturated.owners),
      );
    }
    q.andWhere(b => {
      b.whereNull('campaign_id');
      if (openCampaigns.length) b.orWhereIn('campaign_id', openCampaigns);
    });
    const oldest = q.orderBy('created_at').limit(1);
    const lease = { lease_owner: workerId, lease_expires_at: expires };
    if (isPostgres) {
      // Pick and lease in one statement, returning the row: the advisory lock above
      // already makes this the only claim of a queued migration in flight.
      const rows: Array<Record<string, unknown>> = await leaseIsFree(
        trx(M).where('id', oldest),
        now,
      ).update(lease, '*');
      return rows[0] ? { id: rows[0].id as string, row: rows[0] } : undefined;
    }
    const row = await oldest.first();
    if (!row) return undefined;
    const changed = await leaseIsFree(trx(M).where({ id: row.id }), now).update(
      lease,
    );
    return changed === 1 ? { id: row.id as string } : undefined;
  });
}
