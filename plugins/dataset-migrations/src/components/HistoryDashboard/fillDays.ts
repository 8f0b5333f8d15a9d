import type { MigrationStats } from '@internal/backstage-plugin-dataset-migrations-common';

const DAY_MS = 86_400_000;

/** The API lists only days that had migrations: fill the gaps with zeros, oldest first. */
export function fillDays(
  perDay: MigrationStats['perDay'],
): MigrationStats['perDay'] {
  if (perDay.length === 0) return [];
  const counts = new Map(perDay.map(d => [d.day, d.count]));
  const days = [...counts.keys()].sort();
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const filled: MigrationStats['perDay'] = [];
  for (let at = first; at <= last; at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    filled.push({ day, count: counts.get(day) ?? 0 });
  }
  return filled;
}
