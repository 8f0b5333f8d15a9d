import type {
  ConsumerRewrite,
  ConsumerRewriteInput,
  ConsumerRewriteStatement,
  DatasetMigrationConsumerAgent,
} from '@internal/backstage-plugin-dataset-migrations-node';
import { isQuery, type CstNode } from './cstNodes';
import { parseStatement } from './parseStatement';
import { UncertainRewrite, type TextEdit } from './ReferenceRewriter';
import { rewriteStatement } from './rewriteStatement';
import { lineAt, splitStatements, type StatementSpan } from './splitStatements';
import { applyEdits, shiftEdits } from './textEdits';

/**
 * The built-in consumer agent: repoints `.sql` files at a dataset's new table,
 * statement by statement, editing only the names that must change. Every statement it
 * cannot rewrite with certainty is reported with the reason and its line, and left
 * exactly as it was.
 */
export class SqlConsumerAgent implements DatasetMigrationConsumerAgent {
  readonly id = 'sql-consumer';
  readonly version = '1.0.0';

  handles(fileName: string): boolean {
    return /\.sql$/i.test(fileName);
  }

  async rewrite(input: ConsumerRewriteInput): Promise<ConsumerRewrite> {
    const statements: ConsumerRewriteStatement[] = [];
    const fileEdits: TextEdit[] = [];
    for (const span of splitStatements(input.text, input.engine)) {
      const result = this.rewriteOne(span, input);
      statements.push(result.statement);
      fileEdits.push(...shiftEdits(result.edits, span.start));
    }
    return { statements, text: applyEdits(input.text, fileEdits) };
  }

  private rewriteOne(
    span: StatementSpan,
    input: ConsumerRewriteInput,
  ): { statement: ConsumerRewriteStatement; edits: TextEdit[] } {
    const base = {
      line: span.line,
      original: span.text,
      reads: false,
      ordered: false,
    };
    const parsed = parseStatement(span.text, input.engine);
    if (!parsed.statement) {
      // A statement that never spells the table's name cannot read it; one that does
      // is reported, not guessed at.
      const mentions = span.text
        .toLowerCase()
        .includes(input.from.table.toLowerCase());
      const line = span.line + parsed.line - 1;
      return {
        statement: {
          ...base,
          rewritten: null,
          outcome: mentions ? 'unverifiable' : 'untouched',
          reason: `line ${line}: the ${input.engine} parser cannot read this statement (${parsed.error})`,
        },
        edits: [],
      };
    }
    const node = parsed.statement as unknown as CstNode;
    const shape = { reads: reads(node), ordered: ordered(node) };
    let edits: TextEdit[];
    try {
      edits = rewriteStatement(node, input, span.text);
    } catch (e) {
      if (!(e instanceof UncertainRewrite)) throw e;
      return {
        statement: {
          ...base,
          ...shape,
          rewritten: null,
          outcome: 'unverifiable',
          reason: `line ${lineAt(input.text, span.start + e.offset)}: ${
            e.message
          }`,
        },
        edits: [],
      };
    }
    if (edits.length === 0)
      return {
        statement: {
          ...base,
          ...shape,
          rewritten: null,
          outcome: 'untouched',
          reason: null,
        },
        edits,
      };
    const rewritten = applyEdits(span.text, edits);
    // A rewrite the parser cannot read back is a bug of the rewriter: never offer it.
    const reparsed = parseStatement(rewritten, input.engine);
    if (!reparsed.statement)
      return {
        statement: {
          ...base,
          ...shape,
          rewritten: null,
          outcome: 'unverifiable',
          reason: `line ${span.line}: the rewrite would not parse (${reparsed.error})`,
        },
        edits: [],
      };
    return {
      statement: {
        ...base,
        ...shape,
        rewritten,
        outcome: 'rewritten',
        reason: null,
      },
      edits,
    };
  }
}

/** Whether the statement only reads: a query whose CTEs do not write either. */
function reads(node: CstNode): boolean {
  if (!isQuery(node)) return false;
  return !JSON.stringify(node, (key, value) =>
    key === 'range' ? undefined : value,
  ).match(/"type":"(insert|update|delete)_stmt"/);
}

/** Whether the result order is defined: an ORDER BY at the top level. */
function ordered(node: CstNode): boolean {
  if (!isQuery(node)) return false;
  let last: CstNode = node;
  while (last.type === 'compound_select_stmt') last = last.right as CstNode;
  const clauses = (last.clauses as CstNode[] | undefined) ?? [];
  return clauses.some(c => c.type === 'order_by_clause');
}
