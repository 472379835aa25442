import { describe, expect, it } from 'vitest';
import { ALERT_HISTORY_MS } from '../../../../contract/index.ts';
import { alertFixture, T0 } from '../../../test/fixtures.ts';
import { alertDurationMs, alertHistory, firingAlerts, firstLine, worstSeverity } from './alert-list.ts';

describe('alert lists', () => {
  it('history: firing first (newest first), then resolved within 24 h (most recently ended first)', () => {
    const firingOld = alertFixture({ startsAt: T0 - 3_600_000 });
    const firingNew = alertFixture({ rule: 'lag_high', severity: 'warning', startsAt: T0 - 60_000 });
    const endedLate = alertFixture({ state: 'resolved', startsAt: T0 - 7_200_000, endsAt: T0 - 1_000 });
    const endedEarly = alertFixture({ state: 'resolved', startsAt: T0 - 600_000, endsAt: T0 - 500_000 });
    const tooOld = alertFixture({
      state: 'resolved',
      startsAt: T0 - ALERT_HISTORY_MS - 9_000,
      endsAt: T0 - ALERT_HISTORY_MS - 1,
    });
    expect(alertHistory([endedEarly, tooOld, firingOld, endedLate, firingNew], T0).map((a) => a.id)).toEqual([
      firingNew.id,
      firingOld.id,
      endedLate.id,
      endedEarly.id,
    ]);
    expect(firingAlerts([endedLate, firingOld, firingNew]).map((a) => a.id)).toEqual([firingNew.id, firingOld.id]);
  });

  it('durations, first lines and the worst severity', () => {
    expect(alertDurationMs(alertFixture({ startsAt: T0 - 90_000 }), T0)).toBe(90_000);
    expect(alertDurationMs(alertFixture({ state: 'resolved', startsAt: T0 - 90_000, endsAt: T0 - 30_000 }), T0)).toBe(
      60_000,
    );
    expect(firstLine('  One line.\nAnother.')).toBe('One line.');
    expect(firstLine('')).toBe('');
    expect(worstSeverity([alertFixture({ severity: 'warning' }), alertFixture({ severity: 'critical' })])).toBe(
      'critical',
    );
    expect(worstSeverity([alertFixture({ severity: 'warning' })])).toBe('warning');
  });
});
