import {
  formatDatasetLocation,
  type Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** One moment of the migration and what readers and writers of the old name see then. */
export type ConsumerMoment = { when: string; what: string };

export type ConsumerExperience = {
  /** `warning` when writers of the old name get errors beyond a brief pause. */
  severity: 'info' | 'warning';
  moments: ConsumerMoment[];
};

/**
 * What consumers of the old name experience, read from the plan itself: its copy key and
 * artifacts (whether the source is frozen from the start or only paused before cutover)
 * and its compatibility (a view, whether it takes writes, or the frozen source). Never says
 * "unchanged" where writers get errors, and never mentions a view the plan does not make.
 */
export function consumerExperience(plan: Plan): ConsumerExperience {
  const oldName = formatDatasetLocation(plan.source);
  const newName = formatDatasetLocation(plan.target);
  const hasView = plan.compatibility !== 'frozen-source';
  const hasKey = plan.copyKey.length > 0;
  // SQLite views take no writes (the read-only-compatibility-view finding says so too).
  const isViewReadOnly =
    hasView &&
    (plan.source.engine === 'sqlite' ||
      plan.findings.some(f => f.code === 'read-only-compatibility-view'));
  const moments: ConsumerMoment[] = [];

  if (!hasKey) {
    moments.push({
      when: 'During the copy',
      what: `Readers of ${oldName} keep working. Writes to ${oldName} fail with an error from the start of the migration${
        hasView ? ' until cutover' : ''
      }: without a key, writes made during the copy could not be caught up.`,
    });
  } else {
    moments.push({
      when: 'During the copy',
      what: `Readers and writers of ${oldName} keep working; writes made meanwhile are caught up on the new table.`,
    });
    if ((plan.artifacts.quiesce ?? []).length > 0) {
      moments.push({
        when: 'Just before cutover',
        what: `Writes to ${oldName} fail with "retry" errors for the last catch-up, the verification and the cutover (usually seconds); readers keep working.`,
      });
    }
  }

  if (hasView) {
    const through =
      plan.compatibility === 'foreign-view'
        ? `a compatibility view that reads ${newName} in the other PostgreSQL database (postgres_fdw)`
        : `a compatibility view over ${newName}`;
    moments.push({
      when: 'From cutover until cleanup',
      what: `${oldName} is ${through}, with the old columns and types: readers keep working. ${
        isViewReadOnly
          ? `The view takes no writes: INSERT, UPDATE and DELETE on ${oldName} fail, so writers must write to ${newName} from cutover on.`
          : `Writes to ${oldName} pass through the view to ${newName}.`
      }`,
    });
  } else {
    moments.push({
      when: 'From cutover until cleanup',
      what: `No view can stand at the old name: ${oldName} stays readable but read-only (writes fail with an error naming ${newName}), and it no longer changes. Consumers must repoint to ${newName}.`,
    });
  }

  moments.push({
    when: 'After cleanup (at finalize, or when the grace period ends)',
    what: `${oldName} is gone: every consumer must read and write ${newName}.`,
  });

  const writersGetErrors = !hasKey || isViewReadOnly || !hasView;
  return { severity: writersGetErrors ? 'warning' : 'info', moments };
}
