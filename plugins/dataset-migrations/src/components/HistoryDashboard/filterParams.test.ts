import { filterFromParams, paramsFromFilter } from './filterParams';

describe('the dashboard filters in the URL', () => {
  it('round-trips every filter, days as UTC day bounds', () => {
    const filter = filterFromParams(
      new URLSearchParams(
        'status=failed&owner=group:default/data-platform&connection=warehouse&from=2026-11-01&to=2026-11-30',
      ),
    );
    expect(filter).toEqual({
      status: 'failed',
      owner: 'group:default/data-platform',
      connection: 'warehouse',
      createdAfter: '2026-11-01T00:00:00.000Z',
      createdBefore: '2026-11-30T23:59:59.999Z',
    });
    expect(paramsFromFilter(filter).toString()).toBe(
      'status=failed&owner=group%3Adefault%2Fdata-platform&connection=warehouse&from=2026-11-01&to=2026-11-30',
    );
  });

  it('leaves out what is not valid rather than sending it to the API', () => {
    expect(
      filterFromParams(new URLSearchParams('status=exploded&from=yesterday')),
    ).toEqual({});
  });
});
