import { migration } from '../../__testUtils__/fixtures';
import { formatDuration } from './formatDuration';

const finishedAt = (iso: string | null) =>
  migration({
    createdAt: '2026-11-23T10:00:00.000Z',
    steps: migration().steps.map((s, i) =>
      i === 0 ? { ...s, finishedAt: iso } : s,
    ),
  });

describe('formatDuration', () => {
  it('measures from creation to the last finished step', () => {
    expect(formatDuration(finishedAt(null))).toBe('—');
    expect(formatDuration(finishedAt('2026-11-23T10:00:42.000Z'))).toBe('42 s');
    expect(formatDuration(finishedAt('2026-11-23T10:30:00.000Z'))).toBe(
      '30 min',
    );
    expect(formatDuration(finishedAt('2026-11-23T13:00:00.000Z'))).toBe(
      '3.0 h',
    );
  });
});
