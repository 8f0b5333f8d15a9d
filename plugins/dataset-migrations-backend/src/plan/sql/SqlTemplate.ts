type Hole = { hole: string };

/**
 * Generated SQL with holes for values only known at run time (a key bound, a batch of
 * change-log sequence numbers). The holes are kept by position as the SQL is built,
 * so filling them never searches the text: a column named `:after_0`, or a rule
 * default holding `?`, stays what it is. The plan a person reviews shows each hole as
 * `:<name>`.
 */
export class SqlTemplate {
  private constructor(readonly parts: ReadonlyArray<string | Hole>) {}

  /** A hole the executor fills, shown as `:<name>` in the reviewed SQL. */
  static hole(name: string): SqlTemplate {
    return new SqlTemplate([{ hole: name }]);
  }

  /** Joins SQL text and templates with `separator`, keeping every hole in place. */
  static join(
    items: ReadonlyArray<string | SqlTemplate>,
    separator: string,
  ): SqlTemplate {
    const parts: Array<string | Hole> = [];
    items.forEach((item, i) => {
      if (i > 0) parts.push(separator);
      if (typeof item === 'string') parts.push(item);
      else parts.push(...item.parts);
    });
    return new SqlTemplate(parts);
  }

  /** The SQL as the plan shows it, each hole as `:<name>`. */
  text(): string {
    return this.parts
      .map(p => (typeof p === 'string' ? p : `:${p.hole}`))
      .join('');
  }

  /** The SQL to run: each hole replaced by `fill(name)` (a literal the caller made safe). */
  fill(fill: (name: string) => string): string {
    return this.parts
      .map(p => (typeof p === 'string' ? p : fill(p.hole)))
      .join('');
  }
}

/**
 * A tagged template: interpolated strings are SQL text (already quoted by the caller),
 * interpolated templates keep their holes.
 */
export function sql(
  strings: TemplateStringsArray,
  ...values: Array<string | SqlTemplate>
): SqlTemplate {
  const items: Array<string | SqlTemplate> = [];
  strings.forEach((s, i) => {
    items.push(s);
    if (i < values.length) items.push(values[i]);
  });
  return SqlTemplate.join(items, '');
}
