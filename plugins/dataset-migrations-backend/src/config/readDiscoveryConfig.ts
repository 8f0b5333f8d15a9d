import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { z } from 'zod';
import type {
  ConnectionConfig,
  DiscoveryConfig,
} from './DatasetMigrationsConfig';
import { ownerRef, parse } from './readDatasetMigrationsConfig';

const KEY = 'datasetMigrations.discovery';

/** How often discovery runs when an entry names no schedule. */
export const DEFAULT_DISCOVERY_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 10 },
  };

const patterns = z
  .array(z.string().min(1, 'must not be empty'), {
    error:
      'must be a list of glob patterns such as "sales_*" or "public.orders"',
  })
  .min(1, 'must list at least one pattern (remove the key to mean all)');

const systemRef = z.string().transform((value, ctx) => {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'system',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `must be a system entity reference such as system:default/data-warehouse (got ${JSON.stringify(
        value.slice(0, 100),
      )})`,
    });
    return z.NEVER;
  }
});

const discoverySchema = z
  .object({
    connection: z
      .string({
        error:
          'is required: the name of a connection under datasetMigrations.connections',
      })
      .min(1, 'must name a connection under datasetMigrations.connections'),
    schemas: patterns.optional(),
    tables: patterns.optional(),
    exclude: patterns.optional(),
    owners: z
      .array(
        z
          .object({
            match: z
              .string({ error: 'is required: a glob over the table name' })
              .min(1, 'must be a glob over the table name'),
            owner: z
              .string({
                error: 'is required: an owner such as group:default/sales',
              })
              .pipe(ownerRef),
          })
          .strict(),
        { error: 'must be a list of { match, owner } rules' },
      )
      .default([]),
    defaultOwner: z
      .string({
        error:
          'is required: the owner of tables no owners rule matches, such as group:default/data-platform',
      })
      .pipe(ownerRef),
    system: systemRef.optional(),
    // A Backstage schedule, read by readSchedulerServiceTaskScheduleDefinitionFromConfig.
    schedule: z.unknown().optional(),
  })
  .strict();

function fail(message: string): never {
  throw new Error(`Invalid configuration: ${message}`);
}

function readSchedule(
  entry: Config,
  key: string,
): SchedulerServiceTaskScheduleDefinition {
  if (!entry.has('schedule')) return DEFAULT_DISCOVERY_SCHEDULE;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(
      entry.getConfig('schedule'),
    );
  } catch (e) {
    return fail(
      `${key}.schedule must be a schedule such as { frequency: { minutes: 30 }, timeout: { minutes: 10 } } (${
        (e as Error).message
      })`,
    );
  }
}

/**
 * Reads and validates `datasetMigrations.discovery` against the validated
 * `connections`: each entry names a known connection once, its owners are entity refs
 * that connection accepts, and its schedule parses. Any problem throws at start-up
 * with the full key and the fix.
 */
export function readDiscoveryConfig(
  config: Config,
  connections: Map<string, ConnectionConfig>,
): DiscoveryConfig[] {
  const raw = config.getOptional(KEY);
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some(e => typeof e !== 'object' || !e)) {
    fail(
      `${KEY} must be a list of { connection, defaultOwner, ... } entries, one per connection`,
    );
  }
  const entries = config.getConfigArray(KEY);
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const key = `${KEY}[${index}]`;
    const { schedule: _schedule, ...value } = parse(
      discoverySchema,
      entry.get(),
      key,
    );
    const connection = connections.get(value.connection);
    if (!connection) {
      fail(
        `${key}.connection names "${
          value.connection
        }", which is not under datasetMigrations.connections (known: ${
          [...connections.keys()].join(', ') || 'none'
        }); add the connection or fix the name`,
      );
    }
    const earlier = seen.get(value.connection);
    if (earlier !== undefined) {
      fail(
        `${key}.connection repeats "${value.connection}" of ${KEY}[${earlier}]; merge the two entries (schemas, tables and owners rules can say everything in one)`,
      );
    }
    seen.set(value.connection, index);
    if (value.schemas && connection.client === 'better-sqlite3') {
      fail(
        `${key}.schemas does not apply: connection "${value.connection}" is SQLite, which has no schemas; remove the key`,
      );
    }
    const { allowedOwners } = connection;
    if (allowedOwners) {
      const owned = [
        ...value.owners.map((o, i) => [`owners[${i}].owner`, o.owner]),
        ['defaultOwner', value.defaultOwner],
      ];
      for (const [path, owner] of owned) {
        if (!allowedOwners.includes(owner)) {
          fail(
            `${key}.${path} is ${owner}, which connection "${
              value.connection
            }" does not accept (its allowedOwners: ${allowedOwners.join(
              ', ',
            )}); name one of them, or add it to datasetMigrations.connections.${
              value.connection
            }.allowedOwners`,
          );
        }
      }
    }
    return {
      ...value,
      exclude: value.exclude ?? [],
      schedule: readSchedule(entry, key),
    };
  });
}
