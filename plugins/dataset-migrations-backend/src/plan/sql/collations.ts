import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';

const ENGINE_LABEL: Record<Engine, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
  sqlite: 'SQLite',
};

/** How each engine compares text of a column without a collation of its own. */
const TARGET_DEFAULT: Record<Engine, string> = {
  postgres: "the database's default collation",
  mysql: 'utf8mb4_bin (byte-wise: case- and accent-sensitive)',
  sqlite: 'BINARY (byte-wise: case- and accent-sensitive)',
};

/** Byte-wise (code point) orders: PostgreSQL C/POSIX, MySQL `_bin`, SQLite BINARY. */
function isBinary(engine: Engine, collation: string): boolean {
  switch (engine) {
    case 'postgres':
      return ['c', 'posix', 'ucs_basic'].includes(collation.toLowerCase());
    case 'mysql':
      return /(^binary|_bin)$/i.test(collation);
    default:
      return collation.toUpperCase() === 'BINARY';
  }
}

/** The target's name for a byte-wise collation; undefined where it is the target's default. */
const BINARY_ON: Record<Engine, string | undefined> = {
  postgres: 'C',
  mysql: undefined,
  sqlite: undefined,
};

const TEXT_KINDS = ['char', 'varchar', 'text'];

/**
 * Carries a source column's collation to the target: as is between engines of one
 * kind; a byte-wise one to the target's byte-wise one; any other cannot be matched
 * (case-insensitive MySQL `_ci`, SQLite NOCASE, PostgreSQL locale collations differ in
 * what they fold and how they sort), so `change` says what readers will see.
 */
export function carryCollation(input: {
  column: string;
  collation: string | undefined;
  sourceEngine: Engine;
  targetEngine: Engine;
  /** Logical kind of the target column: only text kinds have a collation. */
  targetKind: string;
  isSameEngineType: boolean;
}): { collation?: string; change?: string } {
  const { collation, sourceEngine, targetEngine } = input;
  if (!collation) return {};
  if (!input.isSameEngineType && !TEXT_KINDS.includes(input.targetKind))
    return {};
  if (sourceEngine === targetEngine) {
    // utf8mb4_bin is the default of the tables this product creates on MySQL/MariaDB.
    if (targetEngine === 'mysql' && collation === 'utf8mb4_bin') return {};
    return { collation };
  }
  if (isBinary(sourceEngine, collation))
    return { collation: BINARY_ON[targetEngine] };
  return {
    change: `Column ${input.column} compares and sorts with collation ${collation} on ${ENGINE_LABEL[sourceEngine]}, which ${ENGINE_LABEL[targetEngine]} has no equivalent for: the new column uses ${TARGET_DEFAULT[targetEngine]}, so ORDER BY, =, LIKE and unique keys on it may give other results (e.g. case-sensitive where they were not). Check the consumers that sort or compare ${input.column}, or give the column a collation after the move.`,
  };
}
