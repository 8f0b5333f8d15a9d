import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { isSafeIdentifier } from '@internal/backstage-plugin-dataset-migrations-common';
import { z } from 'zod';
import { DEFAULT_EXECUTOR_SETTINGS } from '../execute/ExecutorSettings';
import {
  ConcurrencyCaps,
  DEFAULT_CONCURRENCY_CAPS,
} from '../store/concurrencyCaps';
import {
  ConnectionConfig,
  DatasetMigrationsConfig,
  DEFAULT_LIMITS,
  PostgresFdwPair,
  RuleConfig,
} from './DatasetMigrationsConfig';

const ROOT = 'datasetMigrations';
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Whether a connection string parses, so that describing it later never throws. */
function isConnectionUrl(value: string, client: string): boolean {
  try {
    const url = new URL(value);
    return client === 'pg'
      ? /^postgres(ql)?:$/.test(url.protocol)
      : /^(mysql|mariadb):$/.test(url.protocol);
  } catch {
    return false;
  }
}

/** An owner entity ref (a bare name: a group in the default namespace), normalized. */
export const ownerRef = z.string().transform((value, ctx) => {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `must be entity references of owners such as group:default/data-platform (got ${JSON.stringify(
        value.slice(0, 100),
      )})`,
    });
    return z.NEVER;
  }
});

// Issues never quote a connection's value: it may hold a password.
const connectionSchema = z
  .object({
    client: z.enum(['better-sqlite3', 'pg', 'mysql2'], {
      error: 'must be one of "better-sqlite3", "pg" or "mysql2"',
    }),
    connection: z.union(
      [
        z.string().min(1, 'must be a non-empty connection string'),
        z.record(z.string(), z.unknown()),
      ],
      { error: 'must be a settings object or a connection string' },
    ),
    allowedOwners: z
      .array(ownerRef, {
        error: 'must be a list of owner entity references',
      })
      .optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (typeof value.connection === 'string') {
      if (value.client === 'better-sqlite3') {
        ctx.addIssue({
          code: 'custom',
          path: ['connection'],
          message:
            'must be an object with the filename of the SQLite file for better-sqlite3, e.g. { filename: data/warehouse.sqlite }',
        });
      } else if (!isConnectionUrl(value.connection, value.client)) {
        ctx.addIssue({
          code: 'custom',
          path: ['connection'],
          message: `is not a valid ${
            value.client === 'pg' ? 'postgresql://' : 'mysql://'
          } URL (its value is not shown: it may hold a password); percent-encode special characters such as # @ / in the user and password, or use a settings object with host, port, user, password and database`,
        });
      }
      return;
    }
    if (value.client !== 'better-sqlite3') return;
    if (
      typeof value.connection.filename !== 'string' ||
      !value.connection.filename
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['connection', 'filename'],
        message: 'is required for better-sqlite3: the path of the SQLite file',
      });
    }
  });

const identifier = z
  .string()
  .min(1)
  .max(63)
  .refine(
    isSafeIdentifier,
    'must not contain quotes, backslashes or control characters',
  );

const ruleSchema = z
  .object({
    name: z.string().min(1, 'must name the rule'),
    match: z
      .object({
        connection: z.string().optional(),
        schema: z.string().optional(),
        table: z.string().optional(),
        column: z.string().optional(),
        type: z.string().optional(),
      })
      .strict()
      .default({}),
    renameColumns: z.enum(['snake_case', 'keep']).optional(),
    renameTo: identifier.optional(),
    cast: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9 _]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/,
        'must be a type name such as "bigint" or "numeric(12,2)"',
      )
      .optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    drop: z.boolean().optional(),
    allowDestructive: z.boolean().default(false),
    computed: z
      .array(
        z
          .object({
            name: identifier,
            type: z.string().min(1),
            expression: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    target: z
      .object({
        connection: z.string().optional(),
        schema: identifier.optional(),
        table: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.drop && !rule.allowDestructive) {
      ctx.addIssue({
        code: 'custom',
        path: ['drop'],
        message:
          'drops data: set allowDestructive: true on this rule to allow it',
      });
    }
    if (rule.renameTo && !rule.match.column) {
      ctx.addIssue({
        code: 'custom',
        path: ['renameTo'],
        message: 'needs match.column, so that it renames one column',
      });
    }
  });

const executorSchema = z
  .object({
    workerSlots: z
      .number()
      .int()
      .min(0, 'must be 0 (API-only) or more')
      .max(64)
      .optional(),
    maxAttempts: z.number().int().min(1).max(100).optional(),
    leaseSeconds: z.number().min(1).max(3600).optional(),
    retryBaseSeconds: z.number().min(0).max(3600).optional(),
    retryCapSeconds: z.number().min(0).max(86_400).optional(),
    cleanupGraceHours: z.number().min(0).optional(),
    // Backstage durations, read by readDuration below.
    lease: z.unknown().optional(),
    retryBase: z.unknown().optional(),
    retryCap: z.unknown().optional(),
    cleanupGrace: z.unknown().optional(),
    lockTimeout: z.unknown().optional(),
    // MySQL's lock_wait_timeout counts whole seconds (at least 1).
    lockTimeoutSeconds: z.number().int().min(1).max(600).optional(),
  })
  .strict();

const limitsSchema = z
  .object({
    // A Backstage duration, read by readDuration below.
    statementTimeout: z.unknown().optional(),
    statementTimeoutSeconds: z
      .number()
      .min(1, 'must be at least 1 second')
      .max(3600, 'must be at most 3600 seconds')
      .optional(),
    plansPerUser: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100)
      .optional(),
    eventStreamsPerUser: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000)
      .optional(),
  })
  .strict();

const capSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1 (a cap of 0 would never start anything)')
  .max(10_000);

const capsSchema = z
  .object({
    perSourceConnection: capSchema.optional(),
    perTargetConnection: capSchema.optional(),
    perOwner: capSchema.optional(),
    connections: z
      .record(z.string(), z.object({ maxRunning: capSchema }).strict(), {
        error: 'must map connection names to { maxRunning }',
      })
      .optional(),
  })
  .strict();

/** Reads `caps`, whose per-connection overrides must name configured connections. */
function readCaps(
  config: Config,
  connections: Map<string, ConnectionConfig>,
): ConcurrencyCaps {
  const key = `${ROOT}.caps`;
  const caps = parse(capsSchema, config.getOptional(key) ?? {}, key);
  for (const name of Object.keys(caps.connections ?? {})) {
    if (!connections.has(name)) {
      throw new Error(
        `Invalid configuration: ${key}.connections.${name} names a connection that is not under ${ROOT}.connections (known: ${
          [...connections.keys()].join(', ') || 'none'
        }); remove it or fix the name`,
      );
    }
  }
  const d = DEFAULT_CONCURRENCY_CAPS;
  return {
    perSourceConnection: caps.perSourceConnection ?? d.perSourceConnection,
    perTargetConnection: caps.perTargetConnection ?? d.perTargetConnection,
    perOwner: caps.perOwner ?? d.perOwner,
    connections: caps.connections ?? {},
  };
}

const postgresFdwPairSchema = z
  .object({
    source: z.string().min(1, 'must name a connection'),
    target: z.string().min(1, 'must name a connection'),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
  })
  .strict();

function formatIssues(prefix: string, error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const key = [prefix, ...issue.path.map(String)].join('.');
      return `${key} ${issue.message}`;
    })
    .join('; ');
}

/** Parses `value` (at config key `key`) or throws naming each offending key. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, key: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(
      `Invalid configuration: ${formatIssues(key, result.error)}`,
    );
  }
  return result.data;
}

/** Checks each postgres_fdw pair names two different `pg` connections, once. */
function readPostgresFdwPairs(
  config: Config,
  connections: Map<string, ConnectionConfig>,
): PostgresFdwPair[] {
  for (const name of config
    .getOptionalConfig(`${ROOT}.compatibility`)
    ?.keys() ?? []) {
    if (name !== 'postgresFdw') {
      throw new Error(
        `Invalid configuration: ${ROOT}.compatibility.${name} is not a known key; the only one is postgresFdw`,
      );
    }
  }
  const listKey = `${ROOT}.compatibility.postgresFdw`;
  const raw = config.getOptional(listKey) ?? [];
  if (!Array.isArray(raw)) {
    throw new Error(
      `Invalid configuration: ${listKey} must be a list of { source, target } connection pairs`,
    );
  }
  const seen = new Map<string, number>();
  return raw.map((value, index) => {
    const key = `${listKey}[${index}]`;
    const pair = parse(postgresFdwPairSchema, value, key);
    for (const side of ['source', 'target'] as const) {
      const connection = connections.get(pair[side]);
      if (!connection) {
        throw new Error(
          `Invalid configuration: ${key}.${side} names connection "${
            pair[side]
          }", which is not under ${ROOT}.connections (known: ${
            [...connections.keys()].join(', ') || 'none'
          })`,
        );
      }
      if (connection.client !== 'pg') {
        throw new Error(
          `Invalid configuration: ${key}.${side} names connection "${pair[side]}", whose client is ${connection.client}; postgres_fdw joins two PostgreSQL databases, so both connections must have client: pg. Remove the entry, or name a pg connection`,
        );
      }
    }
    if (pair.source === pair.target) {
      throw new Error(
        `Invalid configuration: ${key} names "${pair.source}" as both source and target; a move within one database gets a plain view without postgres_fdw, so remove the entry`,
      );
    }
    const pairName = `${pair.source} -> ${pair.target}`;
    const earlier = seen.get(pairName);
    if (earlier !== undefined) {
      throw new Error(
        `Invalid configuration: ${key} repeats the pair ${pairName} of ${listKey}[${earlier}]; keep one of them`,
      );
    }
    seen.set(pairName, index);
    return pair;
  });
}

/**
 * Reads and validates `datasetMigrations` from app-config. Any problem throws at
 * start-up with the full key and what to put there, so a bad config never half-works.
 */
export function readDatasetMigrationsConfig(
  config: Config,
): DatasetMigrationsConfig {
  const connections = new Map<string, ConnectionConfig>();
  const connectionsConfig = config.getOptionalConfig(`${ROOT}.connections`);
  for (const name of connectionsConfig?.keys() ?? []) {
    const key = `${ROOT}.connections.${name}`;
    if (!NAME.test(name)) {
      throw new Error(
        `Invalid configuration: ${key} has an invalid name; use letters, digits, "_" and "-", starting with a letter`,
      );
    }
    const { allowedOwners, ...value } = parse(
      connectionSchema,
      config.get(key),
      key,
    );
    connections.set(name, {
      name,
      ...value,
      ...(allowedOwners ? { allowedOwners } : {}),
    });
  }

  const rawRules = config.getOptional(`${ROOT}.rules`) ?? [];
  if (!Array.isArray(rawRules)) {
    throw new Error(
      `Invalid configuration: ${ROOT}.rules must be a list of rules`,
    );
  }
  const rules: RuleConfig[] = rawRules.map((raw, index) => {
    const key = `${ROOT}.rules[${index}]`;
    const rule = parse(ruleSchema, raw, key);
    for (const [path, ref] of [
      ['match.connection', rule.match.connection],
      ['target.connection', rule.target?.connection],
    ] as const) {
      // A glob in match.connection may match several; only literal names must exist.
      if (ref && !/[*?]/.test(ref) && !connections.has(ref)) {
        throw new Error(
          `Invalid configuration: ${key}.${path} names connection "${ref}", which is not under ${ROOT}.connections (known: ${
            [...connections.keys()].join(', ') || 'none'
          })`,
        );
      }
    }
    return rule;
  });

  const executor = parse(
    executorSchema,
    config.getOptional(`${ROOT}.executor`) ?? {},
    `${ROOT}.executor`,
  );
  const executorKey = `${ROOT}.executor`;
  const duration = (
    name: string,
    legacy: { name: string; value: number | undefined; unitMs: number },
    bounds: { minMs: number; maxMs: number; wholeSeconds?: boolean },
    key = `${executorKey}.${name}`,
  ) =>
    readDuration(config, {
      key,
      legacyKey: key.replace(/[^.]+$/, legacy.name),
      legacyMs:
        legacy.value !== undefined ? legacy.value * legacy.unitMs : undefined,
      ...bounds,
    });
  const leaseMs = duration(
    'lease',
    { name: 'leaseSeconds', value: executor.leaseSeconds, unitMs: 1000 },
    { minMs: 1000, maxMs: 3600_000 },
  );
  const retryBaseMs = duration(
    'retryBase',
    {
      name: 'retryBaseSeconds',
      value: executor.retryBaseSeconds,
      unitMs: 1000,
    },
    { minMs: 0, maxMs: 3600_000 },
  );
  const retryCapMs = duration(
    'retryCap',
    { name: 'retryCapSeconds', value: executor.retryCapSeconds, unitMs: 1000 },
    { minMs: 0, maxMs: 86_400_000 },
  );
  const cleanupGraceMs = duration(
    'cleanupGrace',
    {
      name: 'cleanupGraceHours',
      value: executor.cleanupGraceHours,
      unitMs: 3600_000,
    },
    { minMs: 0, maxMs: Number.MAX_SAFE_INTEGER },
  );
  // MySQL's lock_wait_timeout counts whole seconds (at least 1).
  const lockTimeoutMs = duration(
    'lockTimeout',
    {
      name: 'lockTimeoutSeconds',
      value: executor.lockTimeoutSeconds,
      unitMs: 1000,
    },
    { minMs: 1000, maxMs: 600_000, wholeSeconds: true },
  );
  const postgresFdw = readPostgresFdwPairs(config, connections);
  const limits = parse(
    limitsSchema,
    config.getOptional(`${ROOT}.limits`) ?? {},
    `${ROOT}.limits`,
  );
  const statementTimeoutMs = duration(
    'statementTimeout',
    {
      name: 'statementTimeoutSeconds',
      value: limits.statementTimeoutSeconds,
      unitMs: 1000,
    },
    { minMs: 1000, maxMs: 3600_000 },
    `${ROOT}.limits.statementTimeout`,
  );
  const d = DEFAULT_EXECUTOR_SETTINGS;
  return {
    connections,
    rules,
    compatibility: { postgresFdw },
    caps: readCaps(config, connections),
    limits: {
      statementTimeoutMs:
        statementTimeoutMs ?? DEFAULT_LIMITS.statementTimeoutMs,
      plansPerUser: limits.plansPerUser ?? DEFAULT_LIMITS.plansPerUser,
      eventStreamsPerUser:
        limits.eventStreamsPerUser ?? DEFAULT_LIMITS.eventStreamsPerUser,
    },
    executor: {
      workerSlots: executor.workerSlots ?? d.workerSlots,
      maxAttempts: executor.maxAttempts ?? d.maxAttempts,
      leaseMs: leaseMs ?? d.leaseMs,
      retryBaseMs: retryBaseMs ?? d.retryBaseMs,
      retryCapMs: retryCapMs ?? d.retryCapMs,
      cleanupGraceMs: cleanupGraceMs ?? d.cleanupGraceMs,
      pollIntervalMs: d.pollIntervalMs,
      lockTimeoutMs: lockTimeoutMs ?? d.lockTimeoutMs,
    },
  };
}

/**
 * A duration setting: `key`, a Backstage duration (`{ seconds: 30 }`, `{ days: 7 }` or
 * an ISO duration such as `PT30S`, read by Backstage's own readDurationFromConfig), or
 * the older number key (`legacyKey`, already validated); not both. Undefined: neither.
 */
function readDuration(
  config: Config,
  options: {
    key: string;
    legacyKey: string;
    legacyMs: number | undefined;
    minMs: number;
    maxMs: number;
    wholeSeconds?: boolean;
  },
): number | undefined {
  const { key, legacyKey, legacyMs, minMs, maxMs } = options;
  if (!config.has(key)) return legacyMs;
  if (legacyMs !== undefined) {
    throw new Error(
      `Invalid configuration: ${key} and ${legacyKey} set the same thing; keep ${key} only`,
    );
  }
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (e) {
    throw new Error(
      `Invalid configuration: ${key} must be a duration such as { seconds: 30 }, { days: 7 } or PT30S (${
        (e as Error).message
      })`,
    );
  }
  if (!(ms >= minMs && ms <= maxMs)) {
    throw new Error(
      `Invalid configuration: ${key} must be between ${minMs / 1000} and ${
        maxMs / 1000
      } seconds`,
    );
  }
  if (options.wholeSeconds && ms % 1000 !== 0) {
    throw new Error(
      `Invalid configuration: ${key} must be whole seconds (MySQL/MariaDB count lock waits in seconds)`,
    );
  }
  return ms;
}
