import type { DatasetMigrationConsumerAgent } from '@internal/backstage-plugin-dataset-migrations-node';

/**
 * A test-only consumer agent that stands in for the SQL one: it splits a file at `;`,
 * and rewrites the old table and column names it is given as whole words (quoted or
 * not) to the new ones. A statement holding `@@` is one it "cannot parse". Enough to
 * drive the consumer flow; the real agent's rewrites are tested with it.
 */
export function standInConsumerAgent(
  id = 'stand-in',
): DatasetMigrationConsumerAgent {
  return {
    id,
    version: '0.0.1',
    handles: name => name.endsWith('.sql'),
    async rewrite({ text, from, to, columns }) {
      const renames = [
        { from: from.table, to: to.table },
        ...columns.map(c => ({ from: c.from, to: c.to })),
      ];
      const rename = (sql: string) =>
        renames.reduce(
          (out, r) =>
            out.replace(new RegExp(`\\b${r.from}\\b`, 'g'), () => r.to),
          sql,
        );
      const statements = [];
      let output = '';
      let offset = 0;
      for (const piece of text.split(';')) {
        // A statement starts after the blanks and `--` comments before it.
        const lead = piece.match(/^(?:\s|--[^\n]*\n)*/)![0].length;
        const start = offset + lead;
        offset += piece.length + 1;
        const original = piece.slice(lead).trim();
        const line = text.slice(0, start).split('\n').length;
        if (!original) {
          output += piece;
        } else if (original.includes('@@')) {
          statements.push({
            line,
            original,
            rewritten: null,
            outcome: 'unverifiable' as const,
            reason: 'cannot parse it',
            reads: false,
            ordered: false,
          });
          output += piece;
        } else if (!new RegExp(`\\b${from.table}\\b`).test(original)) {
          statements.push({
            line,
            original,
            rewritten: null,
            outcome: 'untouched' as const,
            reason: null,
            reads: /^(select|with)\b/i.test(original),
            ordered: false,
          });
          output += piece;
        } else {
          const rewritten = rename(original);
          statements.push({
            line,
            original,
            rewritten,
            outcome: 'rewritten' as const,
            reason: null,
            reads: /^(select|with)\b/i.test(original),
            ordered: /order\s+by/i.test(original),
          });
          output += piece.replace(original, () => rewritten);
        }
        if (offset <= text.length) output += ';';
      }
      return { statements, text: output };
    },
  };
}
