import type { Entity } from '@backstage/catalog-model';

/**
 * Annotation on a dataset entity that names where its table lives:
 * `<connection>:<schema>.<table>`, or `<connection>:<table>` for SQLite.
 *
 * @public
 */
export const DATASET_LOCATION_ANNOTATION = 'dataset-migrations.io/location';

/**
 * Annotation on a dataset entity made by discovery: its table's columns when last
 * discovered, as a JSON array of `{ "name": ..., "type": ... }` (the declared type).
 *
 * @public
 */
export const DATASET_COLUMNS_ANNOTATION = 'dataset-migrations.io/columns';

/**
 * Annotation the catalog processor of the plugin (`catalogModuleDatasetNewHome`) sets
 * next to the location when it points the location at the dataset's new home: the id of
 * the completed migration that moved the table there.
 *
 * @public
 */
export const DATASET_MOVED_BY_ANNOTATION = 'dataset-migrations.io/moved-by';

/** `spec.type` of the `Resource` entities that are datasets. @public */
export const DATASET_RESOURCE_TYPE = 'dataset';

/** Where a dataset's table lives. @public */
export type DatasetLocation = {
  connection: string;
  /** Absent for engines without schemas (SQLite). */
  schema?: string;
  table: string;
};

// Names go into SQL only through the dialects' quoting, but a name that holds quote
// characters, NUL or control characters is refused outright: no engine round-trips them
// safely, and a catalog annotation has no reason to contain them.
/**
 * Whether a schema, table or column name can be quoted safely on every engine: no
 * quote characters, backslash or control characters.
 *
 * @public
 */
export function isSafeIdentifier(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (
      code < 0x20 ||
      code === 0x7f ||
      char === '"' ||
      char === '`' ||
      char === '\\'
    ) {
      return false;
    }
  }
  return true;
}
const CONNECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Parses a location annotation value, throwing an `Error` that says what is wrong
 * and the expected form.
 *
 * @public
 */
export function parseDatasetLocation(value: string): DatasetLocation {
  const expected = `expected "<connection>:<schema>.<table>" or "<connection>:<table>"`;
  const colon = value.indexOf(':');
  if (colon <= 0) {
    throw new Error(
      `Dataset location "${value}" has no connection; ${expected}`,
    );
  }
  const connection = value.slice(0, colon);
  const path = value.slice(colon + 1);
  if (!CONNECTION_NAME.test(connection)) {
    throw new Error(
      `Dataset location "${value}" has an invalid connection name "${connection}"; use letters, digits, "_" and "-"`,
    );
  }
  const dot = path.indexOf('.');
  const schema = dot === -1 ? undefined : path.slice(0, dot);
  const table = dot === -1 ? path : path.slice(dot + 1);
  for (const [what, name] of [
    ['schema', schema],
    ['table', table],
  ] as const) {
    if (name === undefined) continue;
    if (name.length === 0 || name.length > 63) {
      throw new Error(
        `Dataset location "${value}" has an empty or over-long ${what} name (1-63 characters); ${expected}`,
      );
    }
    if (!isSafeIdentifier(name)) {
      throw new Error(
        `Dataset location "${value}" has a ${what} name with quote, backslash or control characters, which cannot be quoted safely on every engine`,
      );
    }
  }
  return { connection, schema, table };
}

/** Formats a location back into its annotation form. @public */
export function formatDatasetLocation(location: DatasetLocation): string {
  const path = location.schema
    ? `${location.schema}.${location.table}`
    : location.table;
  return `${location.connection}:${path}`;
}

/** Whether the entity is a dataset (`Resource` of `spec.type: dataset`). @public */
export function isDatasetEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === DATASET_RESOURCE_TYPE
  );
}

/**
 * The dataset's location, or `undefined` when the entity carries no location annotation.
 * Throws when the annotation is present but malformed.
 *
 * @public
 */
export function getDatasetLocation(
  entity: Entity,
): DatasetLocation | undefined {
  const value = entity.metadata.annotations?.[DATASET_LOCATION_ANNOTATION];
  return value === undefined ? undefined : parseDatasetLocation(value);
}
