import { Table } from '@backstage/core-components';
import type { ColumnMapping } from '@internal/backstage-plugin-dataset-migrations-common';

/** Source column → target column, with types, nullability and the rule that shaped it. */
export const ColumnMappingTable = ({
  columns,
}: {
  columns: ColumnMapping[];
}) => (
  <Table<ColumnMapping>
    title="Column mapping"
    options={{
      paging: false,
      search: false,
      padding: 'dense',
      // A drag handle would wrap each header in a second button (axe: nested-interactive).
      draggable: false,
      // Words broke inside narrow cells on a phone (the history's status read
      // "aw|aiti|ng"): cells keep their words, the table scrolls sideways instead.
      headerStyle: { whiteSpace: 'nowrap' },
      rowStyle: { whiteSpace: 'nowrap' },
      // Read in the source's column order: sort buttons would only put seven Tab stops
      // between the reviewer and Confirm.
      sorting: false,
    }}
    columns={[
      {
        title: 'Source column',
        field: 'source',
        render: c => c.source ?? <em>computed: {c.sourceExpression}</em>,
      },
      { title: 'Source type', field: 'sourceType' },
      { title: 'Target column', field: 'target' },
      { title: 'Target type', field: 'targetType' },
      {
        title: 'Nullable',
        field: 'isNullable',
        render: c => (c.isNullable ? 'yes' : 'no'),
      },
      { title: 'Default', field: 'defaultValue' },
      { title: 'Rule', field: 'rule' },
    ]}
    // The table mutates rows (tableData): give it copies.
    data={columns.map(c => ({ ...c }))}
  />
);
