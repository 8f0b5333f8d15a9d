const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });

/** "3 minutes ago", "in 2 hours", "now": the largest unit that is at least one. */
export function formatRelativeTime(at: Date, now: Date = new Date()): string {
  const delta = at.getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) {
      return relative.format(Math.trunc(delta / ms), unit);
    }
  }
  return relative.format(0, 'second');
}

/** The exact time, to the second, as the hover text of a relative one. */
export const formatExactTime = (at: Date) =>
  at.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * A time as people say it ("5 minutes ago"), with the exact time on hover and in the
 * `datetime` attribute, as the catalog and the scaffolder show times.
 */
export const RelativeTime = ({ at }: { at: string }) => {
  const date = new Date(at);
  return (
    <time dateTime={at} title={formatExactTime(date)}>
      {formatRelativeTime(date)}
    </time>
  );
};
