import type { TextEdit } from './ReferenceRewriter';

/**
 * Applies edits to a text, leaving every byte outside their ranges as it was. Edits
 * must not overlap: two rewrites of one range would mean the rewriter resolved a
 * name twice, which is a bug worth failing on.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor)
      throw new Error(
        `Overlapping rewrites at offset ${edit.start}: ${JSON.stringify(
          edit.text,
        )}`,
      );
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/** The same edits, moved by `offset` (from a statement's text into its file's). */
export function shiftEdits(edits: TextEdit[], offset: number): TextEdit[] {
  return edits.map(e => ({
    ...e,
    start: e.start + offset,
    end: e.end + offset,
  }));
}
