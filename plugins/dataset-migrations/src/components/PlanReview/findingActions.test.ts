import { findingAction } from './findingActions';

describe('findingAction', () => {
  it('tells a blocked person how to unblock, and an allowed change what to check', () => {
    const drop = {
      code: 'destructive-change' as const,
      message: 'drops notes',
    };
    expect(findingAction({ ...drop, severity: 'blocking' })).toMatch(
      /allowDestructive: true on the rule.*click Migrate again/,
    );
    expect(findingAction({ ...drop, severity: 'warning' })).toMatch(
      /^The rule allows it/,
    );
  });

  it('gives one action for codes whose severity never varies', () => {
    expect(
      findingAction({
        code: 'not-null-violation',
        severity: 'blocking',
        message: '3 rows hold NULL',
      }),
    ).toMatch(/^Fill the NULLs in the source/);
  });
});
