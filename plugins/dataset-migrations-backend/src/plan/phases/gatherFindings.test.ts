import type { Finding } from '@internal/backstage-plugin-dataset-migrations-common';
import { gatherFindings } from './gatherFindings';

const finding = (code: Finding['code']): Finding => ({
  code,
  severity: 'warning',
  message: code,
});

describe('gatherFindings', () => {
  it('orders findings: columns, keys, view, incoming foreign keys, truncate, read-only view', () => {
    const codes = gatherFindings({
      columns: [finding('narrowing-cast'), finding('lossy-type')],
      keys: [finding('missing-primary-key')],
      strategy: {
        noCompatibilityView: finding('no-compatibility-view'),
        unprotectedTruncate: finding('unprotected-truncate'),
        readOnlyCompatibilityView: [finding('read-only-compatibility-view')],
      },
      incomingForeignKeys: [finding('incoming-foreign-key')],
    }).map(f => f.code);
    expect(codes).toEqual([
      'narrowing-cast',
      'lossy-type',
      'missing-primary-key',
      'no-compatibility-view',
      'incoming-foreign-key',
      'unprotected-truncate',
      'read-only-compatibility-view',
    ]);
  });

  it('leaves out what a strategy did not find', () => {
    expect(
      gatherFindings({
        columns: [],
        keys: [finding('missing-primary-key')],
        strategy: { readOnlyCompatibilityView: [] },
        incomingForeignKeys: [],
      }).map(f => f.code),
    ).toEqual(['missing-primary-key']);
  });
});
