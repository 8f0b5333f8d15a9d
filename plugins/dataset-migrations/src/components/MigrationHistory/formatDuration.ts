import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';

/** When the last finished step finished, or null before any step finished. */
function lastFinishedAt(migration: Migration): string | null {
  return migration.steps.reduce<string | null>(
    (latest, s) =>
      s.finishedAt && (!latest || s.finishedAt > latest)
        ? s.finishedAt
        : latest,
    null,
  );
}

/** From creation to the last step that finished; '—' before any step finished. */
export function formatDuration(migration: Migration): string {
  const end = lastFinishedAt(migration);
  if (!end) return '—';
  return formatSpan(migration.createdAt, end);
}

/** The time between two instants, rounded to what a person reads: 42 s, 30 min, 3.0 h. */
export function formatSpan(from: string, to: string): string {
  const seconds = Math.max(
    0,
    Math.round((Date.parse(to) - Date.parse(from)) / 1000),
  );
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
