import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Dialect } from '../../dialects/Dialect';
import { SqlToken, tokenize, UnreadableSql } from '../../dialects/sqlTokens';

/** The source's columns as a condition refers to them, and where each went. */
export type CheckColumns = {
  /** The source column a name in the expression refers to, as the source engine folds names. */
  resolve(name: string, isQuoted: boolean): string | undefined;
  /** Its target name when the plan maps it by a plain rename (no cast, no default fill). */
  fate(column: string): { target: string } | { change: 'changed' | 'dropped' };
};

export type RenderedCheck = { sql: string } | { reason: string };

/** Resolves names the way `engine` does: PostgreSQL folds unquoted names to lower case, the others ignore case. */
export function columnResolver(
  engine: Engine,
  columns: string[],
): CheckColumns['resolve'] {
  return (name, isQuoted) => {
    if (engine === 'postgres')
      return columns.find(c => c === (isQuoted ? name : name.toLowerCase()));
    const lower = name.toLowerCase();
    return columns.find(c => c.toLowerCase() === lower);
  };
}

function targetOf(
  columns: CheckColumns,
  column: string,
): { target: string } | { reason: string } {
  const fate = columns.fate(column);
  if ('target' in fate) return fate;
  return {
    reason:
      fate.change === 'dropped'
        ? `column ${column} is dropped`
        : `column ${column} is transformed (cast or default fill), so the condition may not mean the same on its new values`,
  };
}

/**
 * The same engine: the condition as the source wrote it, each column name replaced by
 * the target's quoted name. Functions (a name before `(`), types (after `::`) and
 * keywords stay; a quoted name that is no column, or a column that is not a plain
 * rename, makes it uncarried.
 */
function renameInPlace(
  expression: string,
  engine: Engine,
  target: Dialect,
  columns: CheckColumns,
): RenderedCheck {
  const tokens = tokenize(expression, engine);
  let sql = '';
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const before = tokens[i - 1]?.value;
    if (before === '::' || before === '.' || tokens[i + 1]?.value === '(')
      continue;
    const column = columns.resolve(t.value, t.kind === 'quoted');
    if (!column) {
      if (t.kind === 'quoted')
        return {
          reason: `it names ${t.value}, which is no column of the table`,
        };
      continue;
    }
    const mapped = targetOf(columns, column);
    if ('reason' in mapped) return mapped;
    sql += expression.slice(at, t.start) + target.quote(mapped.target);
    at = t.end;
  }
  return { sql: sql + expression.slice(at) };
}

type Operand =
  | { kind: 'column'; name: string }
  | { kind: 'number'; value: string }
  | { kind: 'string'; value: string };
type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'null'; operand: Operand; isNot: boolean }
  | { kind: 'in'; operand: Operand; values: Operand[]; isNot: boolean }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand };

class NotSimple extends Error {}
/** A condition names a column the plan does not map by a plain rename. */
class ColumnChanged extends Error {}

/** Casts PostgreSQL writes into the conditions it reports, which change nothing about a comparison. */
const NEUTRAL_CASTS = [
  ['numeric'],
  ['integer'],
  ['bigint'],
  ['smallint'],
  ['text'],
  ['character', 'varying'],
];

/**
 * A recursive-descent reader of the conditions that mean the same on every engine:
 * AND/OR/NOT over comparisons of columns and number or string literals, IS [NOT]
 * NULL, [NOT] IN lists, BETWEEN, and PostgreSQL's `= ANY (ARRAY[…])` spelling of IN.
 * Anything else throws `NotSimple`.
 */
class ConditionReader {
  private i = 0;
  constructor(
    private readonly tokens: SqlToken[],
    private readonly columns: CheckColumns,
  ) {}

  read(): Condition {
    const condition = this.or();
    if (this.i !== this.tokens.length) throw new NotSimple();
    return condition;
  }

  private peek(offset = 0) {
    return this.tokens[this.i + offset];
  }
  private isWord(word: string, offset = 0) {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.value.toLowerCase() === word;
  }
  private isPunct(value: string, offset = 0) {
    const t = this.peek(offset);
    return t?.kind === 'punct' && t.value === value;
  }
  private expectPunct(value: string) {
    if (!this.isPunct(value)) throw new NotSimple();
    this.i++;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): Condition {
    let left = this.not();
    while (this.isWord('and')) {
      this.i++;
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }
  private not(): Condition {
    if (this.isWord('not')) {
      this.i++;
      return { kind: 'not', inner: this.not() };
    }
    const start = this.i;
    try {
      return this.predicate();
    } catch (e) {
      if (!(e instanceof NotSimple) || !this.isPunctAt(start, '(')) throw e;
      this.i = start + 1;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
  }
  private isPunctAt(index: number, value: string) {
    const t = this.tokens[index];
    return t?.kind === 'punct' && t.value === value;
  }

  private predicate(): Condition {
    const operand = this.operand();
    if (this.isWord('is')) {
      this.i++;
      const isNot = this.isWord('not');
      if (isNot) this.i++;
      if (!this.isWord('null')) throw new NotSimple();
      this.i++;
      return { kind: 'null', operand, isNot };
    }
    const isNot = this.isWord('not');
    if (isNot) this.i++;
    if (this.isWord('in')) {
      this.i++;
      this.expectPunct('(');
      const values = [this.operand()];
      while (this.isPunct(',')) {
        this.i++;
        values.push(this.operand());
      }
      this.expectPunct(')');
      return { kind: 'in', operand, values, isNot };
    }
    if (isNot) throw new NotSimple();
    if (this.isWord('between')) {
      this.i++;
      const low = this.operand();
      if (!this.isWord('and')) throw new NotSimple();
      this.i++;
      return { kind: 'between', operand, low, high: this.operand() };
    }
    const op = this.peek();
    if (
      op?.kind !== 'punct' ||
      !['=', '<>', '!=', '<', '<=', '>', '>='].includes(op.value)
    )
      throw new NotSimple();
    this.i++;
    if (op.value === '=' && this.isWord('any')) {
      this.i++;
      return { kind: 'in', operand, values: this.anyArray(), isNot: false };
    }
    return {
      kind: 'compare',
      op: op.value === '!=' ? '<>' : op.value,
      left: operand,
      right: this.operand(),
    };
  }

  /** `ANY ((ARRAY['a'::character varying, 'b'])::text[])`, PostgreSQL's IN list. */
  private anyArray(): Operand[] {
    this.expectPunct('(');
    const wrapped = this.isPunct('(');
    if (wrapped) this.i++;
    if (!this.isWord('array')) throw new NotSimple();
    this.i++;
    this.expectPunct('[');
    const values = [this.operand()];
    while (this.isPunct(',')) {
      this.i++;
      values.push(this.operand());
    }
    this.expectPunct(']');
    if (wrapped) {
      this.expectPunct(')');
      this.skipCasts(true);
    }
    this.expectPunct(')');
    return values;
  }

  private skipCasts(isArray = false) {
    while (this.isPunct('::')) {
      this.i++;
      const cast = NEUTRAL_CASTS.find(words =>
        words.every((w, k) => this.isWord(w, k)),
      );
      if (!cast) throw new NotSimple();
      this.i += cast.length;
      if (isArray) {
        this.expectPunct('[');
        this.expectPunct(']');
      }
    }
  }

  private operand(): Operand {
    let operand: Operand;
    const t = this.peek();
    if (!t) throw new NotSimple();
    if (t.kind === 'punct' && t.value === '(') {
      this.i++;
      operand = this.operand();
      this.expectPunct(')');
    } else if (
      t.kind === 'punct' &&
      t.value === '-' &&
      this.peek(1)?.kind === 'number'
    ) {
      this.i += 2;
      operand = { kind: 'number', value: `-${this.tokens[this.i - 1].value}` };
    } else if (t.kind === 'number') {
      this.i++;
      operand = { kind: 'number', value: t.value };
    } else if (t.kind === 'string') {
      // Only text that reads the same in every engine's literal syntax and collation.
      if (!/^[A-Za-z0-9 _.:-]*$/.test(t.value)) throw new NotSimple();
      this.i++;
      operand = { kind: 'string', value: t.value };
    } else if (t.kind === 'word' || t.kind === 'quoted') {
      const column = this.columns.resolve(t.value, t.kind === 'quoted');
      if (!column) throw new NotSimple();
      this.i++;
      operand = { kind: 'column', name: column };
    } else {
      throw new NotSimple();
    }
    this.skipCasts();
    return operand;
  }
}

function render(
  condition: Condition,
  target: Dialect,
  columns: CheckColumns,
  allowStrings: boolean,
): string {
  const operand = (o: Operand): string => {
    if (o.kind === 'number') return o.value;
    if (o.kind === 'string') {
      if (!allowStrings) throw new NotSimple();
      return target.literal(o.value);
    }
    const mapped = targetOf(columns, o.name);
    if ('reason' in mapped) throw new ColumnChanged(mapped.reason);
    return target.quote(mapped.target);
  };
  const r = (c: Condition): string => render(c, target, columns, allowStrings);
  switch (condition.kind) {
    case 'and':
    case 'or':
      return `(${r(condition.left)} ${condition.kind.toUpperCase()} ${r(
        condition.right,
      )})`;
    case 'not':
      return `(NOT ${r(condition.inner)})`;
    case 'compare':
      return `${operand(condition.left)} ${condition.op} ${operand(
        condition.right,
      )}`;
    case 'null':
      return `${operand(condition.operand)} IS ${
        condition.isNot ? 'NOT ' : ''
      }NULL`;
    case 'in':
      return `${operand(condition.operand)} ${
        condition.isNot ? 'NOT ' : ''
      }IN (${condition.values.map(operand).join(', ')})`;
    default:
      return `${operand(condition.operand)} BETWEEN ${operand(
        condition.low,
      )} AND ${operand(condition.high)}`;
  }
}

/**
 * A source CHECK condition in the target's dialect, or why it cannot be carried. Same
 * engine: as written, columns renamed. Across engines only conditions that mean the
 * same everywhere (see `ConditionReader`); string literals only between PostgreSQL and
 * SQLite, since MySQL/MariaDB compare text case-insensitively by default and the check
 * would accept other values there (or refuse rows it accepted).
 */
export function renderCheck(
  expression: string,
  sourceEngine: Engine,
  target: Dialect,
  columns: CheckColumns,
): RenderedCheck {
  if (expression.trim() === '')
    return {
      reason: 'its condition could not be read from the table definition',
    };
  try {
    if (sourceEngine === target.engine)
      return renameInPlace(expression, sourceEngine, target, columns);
    const condition = new ConditionReader(
      tokenize(expression, sourceEngine),
      columns,
    ).read();
    const allowStrings = sourceEngine !== 'mysql' && target.engine !== 'mysql';
    return { sql: render(condition, target, columns, allowStrings) };
  } catch (e) {
    if (e instanceof ColumnChanged) return { reason: e.message };
    if (e instanceof NotSimple || e instanceof UnreadableSql)
      return {
        reason: `its condition is not one the planner can translate from ${sourceEngine} to ${
          target.engine
        } with certainty (only comparisons of columns with numbers${
          sourceEngine !== 'mysql' && target.engine !== 'mysql'
            ? ' or plain text'
            : ''
        }, IS NULL, IN, BETWEEN, AND, OR, NOT)`,
      };
    throw e;
  }
}
