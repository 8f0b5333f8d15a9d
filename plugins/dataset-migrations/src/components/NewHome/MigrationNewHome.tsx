import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * Where a migration leaves its dataset, in a few words: "now at X" once it completed,
 * "still at X" when it was undone or never ran, "moving to X" while it is under way.
 */
export const MigrationNewHome = ({ migration }: { migration: Migration }) => {
  if (!migration.target) return <>—</>;
  switch (migration.status) {
    case 'completed':
      return (
        <>
          now at <code>{migration.target}</code>
        </>
      );
    case 'failed':
    case 'cancelled':
    case 'rolled_back':
      return (
        <>
          still at <code>{migration.source}</code>
        </>
      );
    default:
      return (
        <>
          moving to <code>{migration.target}</code>
        </>
      );
  }
};
