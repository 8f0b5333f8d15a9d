import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  formatDatasetLocation,
  MIGRATION_ORDER_BY,
  MIGRATION_STATUSES,
  parseDatasetLocation,
  SORT_ORDERS,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { z } from 'zod';

/**
 * Text that can reach a query: no control characters (PostgreSQL refuses a NUL byte in
 * text, which would otherwise surface as a 500) and a bounded length.
 */
export const text = (required?: string) =>
  z
    .string(required ? { error: required } : undefined)
    .min(1, 'must not be empty')
    .max(1000, 'must be at most 1000 characters')
    .refine(
      value => ![...value].some(c => c.charCodeAt(0) < 0x20 || c === '\u007f'),
      'must not hold control characters',
    );

export const entityRef = text(
  'is required: the dataset, e.g. resource:default/orders',
);

export const planRequestSchema = z.object({ entityRef }).strict();

export const migrationRequestSchema = z
  .object({
    entityRef,
    planHash: z
      .string({ error: 'is required: the hash of the plan you reviewed' })
      .regex(
        /^[0-9a-f]{64}$/,
        'must be the 64-character hex hash of the reviewed plan',
      ),
  })
  .strict();

export const listQuerySchema = z
  .object({
    entityRef: text().optional(),
    status: z
      .enum(MIGRATION_STATUSES, {
        error: `must be one of ${MIGRATION_STATUSES.join(', ')}`,
      })
      .optional(),
    owner: text().optional(),
    connection: text().optional(),
    createdAfter: z.iso
      .datetime({ offset: true, error: 'must be an ISO date-time' })
      .optional(),
    createdBefore: z.iso
      .datetime({ offset: true, error: 'must be an ISO date-time' })
      .optional(),
    search: text().optional(),
    orderBy: z
      .enum(MIGRATION_ORDER_BY, {
        error: `must be one of ${MIGRATION_ORDER_BY.join(', ')}`,
      })
      .optional(),
    order: z
      .enum(SORT_ORDERS, { error: `must be one of ${SORT_ORDERS.join(', ')}` })
      .optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100, 'must be at most 100')
      .optional(),
    cursor: text().optional(),
  })
  .strict();

export const migrationIdSchema = z.uuid({
  error: 'must be a migration id (a UUID)',
});

/** Validates input, throwing an InputError that names each bad field. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  input: unknown,
  what = 'request',
): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const field = issue.path.length ? issue.path.join('.') : what;
      return `${field} ${issue.message}`;
    });
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}

/** A dataset's entity ref as the store keeps it, or an InputError naming the field. */
export function normalizeEntityRef(ref: string, field: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch {
    throw new InputError(
      `${field} "${ref.slice(
        0,
        200,
      )}" is not an entity reference such as resource:default/orders`,
    );
  }
}

/** A location annotation's value in its canonical form, or an InputError naming the field. */
export function parseLocationInput(value: string, field: string): string {
  try {
    return formatDatasetLocation(parseDatasetLocation(value));
  } catch (e) {
    throw new InputError(`${field}: ${(e as Error).message}`);
  }
}
