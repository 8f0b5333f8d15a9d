import { createTwoFilesPatch } from 'diff';

/**
 * The path a diff names a file by: inside its repository for SCM URLs
 * (`…/blob/<ref>/<path>`), otherwise relative to the consumer's catalog file, so that
 * `git apply` (or `patch -p1`) works from the repository's or the folder's root.
 */
export function diffPath(fileUrl: string, baseUrl: string): string {
  const url = new URL(fileUrl);
  const blob = url.pathname.match(
    /^\/[^/]+\/[^/]+\/(?:blob|tree)\/[^/]+\/(.+)$/,
  );
  if (url.protocol !== 'file:' && blob) return decodeURIComponent(blob[1]);
  const base = new URL('.', baseUrl);
  if (url.href.startsWith(base.href)) {
    return decodeURIComponent(url.href.slice(base.href.length));
  }
  return decodeURIComponent(url.pathname.replace(/^\/+/, ''));
}

/** A unified diff of one file, or null when nothing changed. */
export function unifiedDiff(
  path: string,
  before: string,
  after: string,
): string | null {
  if (before === after) return null;
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', {
    context: 3,
  });
}
