import type {
  ColumnIdentity,
  ColumnMapping,
  ColumnSchema,
  Finding,
  IndexSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { parseDeclared } from '../../dialects/common';
import type { Dialect } from '../../dialects/Dialect';
import type { LogicalType } from '../../dialects/LogicalType';
import type { ModelColumn } from './ArtifactModel';
import { carryCollation } from './collations';
import {
  coerceDefault,
  portableDefault,
  portableExpression,
  renderPortableExpression,
} from '../../dialects/portableDefault';

/** One source column as the target gets it: type, default, identity, collation. */
export type CarriedColumn = {
  targetLogical: LogicalType;
  targetType: string;
  /** The target's DEFAULT: a literal, or an expression when `isDefaultExpression`. */
  defaultSql: string | null;
  isDefaultExpression: boolean;
  identity?: ColumnIdentity;
  collation?: string;
  /** The source-dialect SQL that reads the column's value for the copy, given its quoted name. */
  sourceValue: (quoted: string) => string;
  /** One engine, no cast, and the target declares the column's type as the source does. */
  isSameEngineType: boolean;
  findings: Finding[];
};

const INTEGER_KINDS = ['smallint', 'integer', 'bigint'];

/** PostgreSQL's built-in type names beyond those the portable model reads. */
const POSTGRES_BUILTIN = new Set([
  'interval',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'money',
  'xml',
  'bit',
  'bit varying',
  'varbit',
  'tsvector',
  'tsquery',
  'point',
  'line',
  'lseg',
  'box',
  'path',
  'polygon',
  'circle',
  'int4range',
  'int8range',
  'numrange',
  'tsrange',
  'tstzrange',
  'daterange',
  'oid',
  'name',
  'time with time zone',
  'timetz',
  'real',
  'double precision',
  'character',
  'character varying',
  'timestamp with time zone',
  'timestamp without time zone',
  'time without time zone',
]);

/**
 * Whether a declared type can be written into the target's DDL exactly as the source
 * engine reported it: plain type syntax only (MySQL enum/set value lists included),
 * nothing that could end the statement.
 */
function isVerbatimSafe(declared: string): boolean {
  if (/;|--|\/\*|\$/.test(declared)) return false;
  const withoutLists = declared.replace(/'(?:[^'\\]|'')*'/g, "''");
  return /^[a-z0-9_ ,()"'.[\]]*$/i.test(withoutLists);
}

/** Whether every database of the engine knows the declared type (not a user-defined one). */
function isBuiltin(dialect: Dialect, declared: string): boolean {
  if (dialect.engine !== 'postgres') return true;
  const element = declared.replace(/(\[\])+$/, '').trim();
  const base = parseDeclared(
    element.replace(/^(timestamp|time)\s*\(\d+\)/i, '$1'),
  ).base.replace(/\s*\(\d+\)$/, '');
  if (POSTGRES_BUILTIN.has(base)) return true;
  // The portable model reads it (anything else it reads as text).
  return (
    dialect.toLogical(element).kind !== 'text' ||
    ['text', 'varchar', 'character varying', 'json', 'jsonb'].includes(base)
  );
}

/**
 * What a cross-engine type mapping changes that lossOf does not name: MySQL's boolean
 * convention, unsigned integers, single-precision floats, enum/set value lists.
 */
function typeChange(
  column: ColumnSchema,
  sd: Dialect,
  td: Dialect,
  targetType: string,
): string | undefined {
  const declared = column.type.toLowerCase();
  const { base, p1 } = parseDeclared(declared);
  if (sd.engine === 'mysql') {
    if (base === 'tinyint' && p1 === 1) {
      return `Column ${column.name} is tinyint(1), read as a boolean: on ${td.engine} it becomes ${targetType}, and any value other than 0 and 1 (2, -1) is copied as true. Cast it with a rule (e.g. to smallint) if it holds numbers.`;
    }
    if (/\bunsigned\b/.test(declared)) {
      return `Column ${column.name} is ${declared}: ${td.engine} has no unsigned integers, so it becomes ${targetType}, which holds every value but also accepts negative ones. Add a CHECK (${column.name} >= 0) after the move if writers rely on the refusal.`;
    }
    if (/^(enum|set)\(/.test(declared)) {
      return `Column ${column.name} is ${declared}: ${td.engine} has no ${base} type, so it becomes ${targetType} and any text is accepted. Add a CHECK constraint after the move if writers rely on the refusal.`;
    }
  }
  if (isSinglePrecision(sd, declared)) {
    return `Column ${column.name} is single-precision ${declared}; on ${td.engine} it becomes ${targetType}, 8 bytes. Each value is carried as the source prints it (0.1 stays 0.1, not 0.100000001490116), so new values keep more digits than the source kept and sums over the column differ in the last digits. Cast it with a rule to a decimal if readers compare exact values.`;
  }
  return undefined;
}

/** PostgreSQL real/float4 and MySQL float (without a precision above 24): 4-byte floats. */
function isSinglePrecision(sd: Dialect, declared: string): boolean {
  const { base, p1 } = parseDeclared(declared.replace(/\s+unsigned$/, ''));
  if (sd.engine === 'postgres') return base === 'real' || base === 'float4';
  if (sd.engine === 'mysql')
    return base === 'float' && (p1 === undefined || p1 <= 24);
  return false;
}

/** The identity the target engine gives a carried one, and what changes with it. */
function targetIdentity(
  column: ColumnSchema,
  identity: ColumnIdentity,
  td: Dialect,
): { identity: ColumnIdentity; change?: string } {
  if (td.engine === 'postgres') {
    return {
      identity: { generation: identity.generation, kind: 'identity' },
      change:
        identity.kind === 'serial'
          ? `Column ${column.name} is a serial: the new table numbers it with an identity column, whose sequence has another name. Code that names the old sequence (nextval/currval('…_seq')) must use pg_get_serial_sequence or RETURNING instead; inserts that omit ${column.name} work as before.`
          : undefined,
    };
  }
  const always =
    identity.generation === 'always'
      ? `Column ${column.name} is GENERATED ALWAYS: ${
          td.engine === 'mysql' ? 'AUTO_INCREMENT' : 'an INTEGER PRIMARY KEY'
        } also takes a key an insert gives, where the source refused it.`
      : undefined;
  if (td.engine === 'mysql') {
    return {
      identity: { generation: 'by-default', kind: 'auto_increment' },
      change: always,
    };
  }
  return {
    identity: {
      generation: 'by-default',
      kind: identity.kind === 'rowid' ? 'rowid' : 'auto_increment',
    },
    change: always,
  };
}

/**
 * Carries one source column to the target: its exact declared type on a move to the
 * same engine (unless a rule casts it), else the portable mapping; its default, a
 * literal or an expression the target can evaluate; its identity; its collation. What
 * cannot be carried is a finding naming the column.
 */
export function carryColumn(input: {
  column: ColumnSchema;
  sourceDialect: Dialect;
  targetDialect: Dialect;
  isSameDatabase: boolean;
  cast?: { type: string };
  ruleDefault?: { value: string | number | boolean };
}): CarriedColumn {
  const {
    column,
    sourceDialect: sd,
    targetDialect: td,
    isSameDatabase,
    cast,
  } = input;
  const findings: Finding[] = [];
  const warn = (code: Finding['code'], message: string) =>
    findings.push({ code, severity: 'warning', column: column.name, message });

  const isSameEngine = sd.engine === td.engine;
  const sourceLogical = sd.toLogical(column.type);
  const targetLogical = cast ? td.toLogical(cast.type) : sourceLogical;
  let targetType = td.renderType(targetLogical);
  let isSameEngineType = false;
  if (isSameEngine && !cast) {
    if (
      isVerbatimSafe(column.type) &&
      (isSameDatabase || isBuiltin(sd, column.type))
    ) {
      targetType = column.type;
      isSameEngineType = true;
    } else if (targetType.toLowerCase() !== column.type.toLowerCase()) {
      warn(
        'lossy-type',
        `Column ${column.name} is ${column.type}, which cannot be written into the target's DDL as it is (a type only the source database defines, or syntax the plan does not copy): it becomes ${targetType}. Cast it with a rule to the type you want.`,
      );
    }
  } else if (!cast) {
    const change = typeChange(column, sd, td, targetType);
    if (change) warn('lossy-type', change);
  }

  let identity: ColumnIdentity | undefined;
  if (column.identity) {
    if (!INTEGER_KINDS.includes(targetLogical.kind)) {
      warn(
        'identity-change',
        `Column ${column.name} is numbered by the database (${column.identity.kind}), but becomes ${targetType}, which cannot be: inserts must give ${column.name} from now on. Drop the cast to keep the numbering.`,
      );
    } else {
      const carried = targetIdentity(column, column.identity, td);
      identity = carried.identity;
      if (carried.change) warn('identity-change', carried.change);
    }
  }

  let defaultSql: string | null = null;
  let isDefaultExpression = false;
  // DEFAULT NULL (MariaDB reports it as the text NULL) is no default.
  const raw =
    column.defaultValue !== null && /^null$/i.test(column.defaultValue.trim())
      ? null
      : column.defaultValue;
  const literal = portableDefault(raw);
  if (input.ruleDefault) {
    defaultSql = td.literal(
      coerceDefault(input.ruleDefault.value, targetLogical.kind),
    );
  } else if (literal !== null) {
    defaultSql = td.literal(coerceDefault(literal, targetLogical.kind));
  } else if (raw !== null && !column.identity) {
    const expression = portableExpression(raw);
    if (isSameEngine && !cast && (isSameDatabase || expression)) {
      // The source engine's own text of a default it evaluates, for the same engine.
      defaultSql = raw;
    } else if (expression) {
      defaultSql =
        renderPortableExpression(expression, td.engine, targetLogical.kind) ??
        null;
    }
    if (defaultSql === null) {
      warn(
        'default-lost',
        `Column ${column.name} defaults to ${raw} on the source, which ${td.engine} cannot evaluate for ${targetType}: inserts that omit ${column.name} get NULL. Add a default rule, or have writers give the value.`,
      );
    } else {
      isDefaultExpression = true;
    }
  }

  // No engine's DDL here carries MySQL's per-column ON UPDATE: say what stops.
  if (column.onUpdate) {
    warn(
      'default-lost',
      `Column ${column.name} is set to ${column.onUpdate} by the source on every UPDATE (ON UPDATE); the new table does not do that: updates that do not set ${column.name} leave it as it was. Have writers set it, or add a trigger on the new table.`,
    );
  }

  const collation = carryCollation({
    column: column.name,
    collation: column.collation,
    sourceEngine: sd.engine,
    targetEngine: td.engine,
    targetKind: targetLogical.kind,
    isSameEngineType,
  });
  if (collation.change) warn('collation-change', collation.change);

  // A 4-byte float read as a double would carry its binary error (0.100000001490116)
  // to an engine that prints every digit: read it as the source prints it instead,
  // which is also what the copy's drivers hand over, so both checksums agree.
  const isWidenedFloat =
    !isSameEngine && !cast && isSinglePrecision(sd, column.type);
  const sourceValue = (quoted: string) =>
    isWidenedFloat
      ? sd.cast(sd.cast(quoted, { kind: 'text' }), { kind: 'double' })
      : quoted;

  return {
    targetLogical,
    targetType,
    sourceValue,
    defaultSql,
    isDefaultExpression,
    identity,
    collation: collation.collation,
    isSameEngineType,
    findings,
  };
}

/**
 * What the target engine allows of a table's identities: MySQL/MariaDB one
 * AUTO_INCREMENT, leading a key; SQLite only the single-column INTEGER PRIMARY KEY.
 * Identities it cannot hold are removed from the column mapping and the model (index
 * for index the same columns), each with a finding.
 */
export function settleIdentities(
  mappings: ColumnMapping[],
  model: ModelColumn[],
  td: Dialect,
  primaryKey: string[],
  indexes: IndexSchema[],
): Finding[] {
  const findings: Finding[] = [];
  let kept = 0;
  mappings.forEach((c, i) => {
    if (!c.identity) return;
    let refusal: string | undefined;
    if (td.engine === 'mysql') {
      const leadsKey =
        primaryKey[0] === c.target ||
        indexes.some(index => index.columns[0] === c.target);
      if (kept > 0) refusal = 'MySQL/MariaDB number only one column a table';
      else if (!leadsKey)
        refusal = 'MySQL/MariaDB number only a column that leads a key';
    } else if (td.engine === 'sqlite') {
      if (primaryKey.length !== 1 || primaryKey[0] !== c.target)
        refusal = 'SQLite numbers only a single-column INTEGER PRIMARY KEY';
      else {
        // Only a column declared exactly INTEGER is the rowid.
        c.targetType = 'INTEGER';
        model[i].targetType = 'INTEGER';
      }
    }
    if (refusal) {
      delete c.identity;
      delete model[i].identity;
      findings.push({
        code: 'identity-change',
        severity: 'warning',
        column: c.source ?? c.target,
        message: `Column ${
          c.source ?? c.target
        } is numbered by the database on the source, but ${refusal}: on the new table inserts must give it.`,
      });
    } else {
      kept++;
    }
  });
  return findings;
}
