/** Case-insensitive glob match with `*` (any run) and `?` (one character). */
export function matchesGlob(
  pattern: string | undefined,
  value: string | undefined,
): boolean {
  if (pattern === undefined) return true;
  if (value === undefined) return pattern === '*';
  const source = [...pattern]
    .map(c => {
      if (c === '*') return '.*';
      if (c === '?') return '.';
      return c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 'iu').test(value);
}
