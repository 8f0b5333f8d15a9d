import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { CampaignOwnerRow } from '@internal/backstage-plugin-dataset-migrations-common';

const columns: TableColumn<CampaignOwnerRow>[] = [
  {
    title: 'Owner',
    field: 'ownerRef',
    render: o => <EntityRefLink entityRef={o.ownerRef} hideIcon />,
  },
  { title: 'Remaining', field: 'remaining', type: 'numeric' },
  { title: 'Awaiting approval', field: 'awaitingApproval', type: 'numeric' },
  { title: 'Blocked', field: 'blocked', type: 'numeric' },
  { title: 'Failed', field: 'failed', type: 'numeric' },
  { title: 'Total', field: 'total', type: 'numeric' },
];

/**
 * Who is holding the campaign up: owners by their datasets still waiting on them
 * (approvals first, then blocked and failed ones), then by what remains.
 */
export const OwnersTable = ({ owners }: { owners: CampaignOwnerRow[] }) => {
  const holdingUp = (o: CampaignOwnerRow) =>
    o.awaitingApproval + o.blocked + o.failed;
  const sorted = [...owners].sort(
    (a, b) => holdingUp(b) - holdingUp(a) || b.remaining - a.remaining,
  );
  return (
    <Table<CampaignOwnerRow>
      title="Owners"
      options={{
        paging: owners.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
        // A drag handle would wrap each header in a second button (axe: nested-interactive).
        draggable: false,
      }}
      columns={columns}
      data={sorted.map(o => ({ ...o }))}
      emptyContent="No owner: no dataset matched yet."
    />
  );
};
