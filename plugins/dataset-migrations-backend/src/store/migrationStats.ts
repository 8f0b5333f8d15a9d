import type {
  MigrationStats,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { dayNumber, dayOfNumber } from './dayNumber';

const M = 'dm_migrations';
const E = 'dm_events';

type Count = { n: number | string };

/**
 * The history dashboard's aggregates over the migrations `filtered` selects (a query
 * on dm_migrations with the list's filters), each counted by the database: one row per
 * status, one per day, one for the rollbacks people asked for.
 */
export async function readMigrationStats(
  db: Knex,
  filtered: () => Knex.QueryBuilder,
): Promise<MigrationStats> {
  const counts: Array<Count & { status: string }> = await filtered()
    .select('status')
    .count({ n: '*' })
    .groupBy('status');
  const byStatus: MigrationStats['byStatus'] = {};
  let total = 0;
  for (const row of counts) {
    byStatus[row.status as MigrationStatus] = Number(row.n);
    total += Number(row.n);
  }

  // Who asked for a rollback is the actor of its latest rollback.requested event (a
  // migration rolled back after a refused undo may hold more than one): a user's
  // entity ref when a person did, "rollout" when an aborted rollout did. Read per
  // rolled-back migration as one probe of dm_events_type_idx, never a scan of events.
  const latestRequester = db({ e: E })
    .select('e.actor')
    .where('e.type', 'rollback.requested')
    .where('e.migration_id', db.ref(`${M}.id`))
    .orderBy('e.id', 'desc')
    .limit(1);
  const [byPerson] = (await filtered()
    .where(`${M}.status`, 'rolled_back')
    .whereRaw('(?) LIKE ?', [latestRequester, 'user:%'])
    .count({ n: '*' })) as Count[];
  const requestedByPerson = Number(byPerson?.n ?? 0);
  const automatic = (byStatus.rolled_back ?? 0) - requestedByPerson;

  // A person's rollback is a choice, not a failure: it counts on neither side.
  const completed = byStatus.completed ?? 0;
  const finished = completed + (byStatus.failed ?? 0) + automatic;

  const since = new Date(Date.now() - 30 * 86_400_000);
  // Counted per day by the database: only one row per day comes back, however many
  // migrations the window holds.
  const day = dayNumber(db, 'created_at');
  const perDay = (await filtered()
    .where('created_at', '>=', since)
    .select({ day })
    .count({ n: '*' })
    .groupByRaw(day.toQuery())
    .orderBy('day')) as Array<Count & { day: number | string }>;
  return {
    total,
    byStatus,
    successRate: finished ? completed / finished : null,
    rollbacks: { requestedByPerson, automatic },
    perDay: perDay.map(row => ({
      day: dayOfNumber(Number(row.day)),
      count: Number(row.n),
    })),
  };
}
