import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../contract/index.ts';
import { alertFixture, T0 } from '../../../test/fixtures.ts';
import { alertChanges, createAlertMemory } from './alert-changes.ts';

const resolved = (alert: Alert): Alert => ({ ...alert, state: 'resolved', endsAt: T0 + 60_000 });

describe('alertChanges', () => {
  it('says nothing of what was there when the page opened, then each firing and resolution once', () => {
    const memory = createAlertMemory();
    const old = alertFixture({ rule: 'lag_high' });
    expect(alertChanges(memory, [old])).toEqual({ fired: [], resolved: [] });

    const down = alertFixture({ startsAt: T0 + 1_000 });
    expect(alertChanges(memory, [down, old])).toEqual({ fired: [down], resolved: [] });
    // The same list again (a re-render, another copy): no news.
    expect(alertChanges(memory, [down, old])).toEqual({ fired: [], resolved: [] });

    expect(alertChanges(memory, [resolved(down), old])).toEqual({ fired: [], resolved: [resolved(down)] });
    expect(alertChanges(memory, [resolved(down), resolved(old)])).toEqual({ fired: [], resolved: [resolved(old)] });
    expect(alertChanges(memory, [resolved(down), resolved(old)])).toEqual({ fired: [], resolved: [] });
  });

  it('does not fire again an alert a list briefly lacked, nor one a late copy shows firing after it resolved', () => {
    const memory = createAlertMemory();
    alertChanges(memory, []);
    const down = alertFixture();
    expect(alertChanges(memory, [down]).fired).toEqual([down]);
    expect(alertChanges(memory, [])).toEqual({ fired: [], resolved: [] });
    expect(alertChanges(memory, [down]).fired).toEqual([]);
    alertChanges(memory, [resolved(down)]);
    expect(alertChanges(memory, [down])).toEqual({ fired: [], resolved: [] });
  });

  it('ignores an alert that fired and resolved while the page was not listening', () => {
    const memory = createAlertMemory();
    alertChanges(memory, []);
    expect(alertChanges(memory, [resolved(alertFixture())])).toEqual({ fired: [], resolved: [] });
  });
});
