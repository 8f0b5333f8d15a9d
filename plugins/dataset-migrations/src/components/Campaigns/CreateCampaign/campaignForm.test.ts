import { EMPTY_CAMPAIGN_FORM, toCampaignRequest } from './campaignForm';

describe('toCampaignRequest', () => {
  it('splits lists, trims, turns the percentage into a share and leaves the agent to the default when blank', () => {
    const { request, errors } = toCampaignRequest({
      ...EMPTY_CAMPAIGN_FORM,
      name: ' rename ',
      owners: 'group:default/team-a, ,group:default/team-b',
      tags: 'pii',
      maxFailureRatePercent: '12.5',
    });
    expect(errors).toEqual({});
    expect(request).toEqual({
      name: 'rename',
      selector: {
        owners: ['group:default/team-a', 'group:default/team-b'],
        tags: ['pii'],
      },
      mode: 'owner-approval',
      pacing: { maxRunning: 4, startsPerMinute: 30 },
      failureBudget: { window: 20, maxFailureRate: 0.125 },
    });
  });

  it('names every field in error and gives no request', () => {
    const { request, errors } = toCampaignRequest({
      ...EMPTY_CAMPAIGN_FORM,
      startsPerMinute: '1.5',
      failureWindow: '',
    });
    expect(request).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual([
      'failureWindow',
      'name',
      'selector',
      'startsPerMinute',
    ]);
    expect(errors.startsPerMinute).toBe(
      'Starts per minute must be a whole number of at least 1.',
    );
  });
});
