import type { Alert } from '../../../../contract/index.ts';

/** What the page has seen of each alert (by id): whether it was firing or resolved. */
export interface AlertMemory {
  /** Undefined until the first list: what was already there fired before the page looked. */
  seen: Map<string, Alert['state']> | undefined;
}

/** Ids remembered at most (the relay lists about 500): an id is never news twice. */
const MAX_REMEMBERED = 2000;

export function createAlertMemory(): AlertMemory {
  return { seen: undefined };
}

export interface AlertChanges {
  /** Alerts firing that the page had not seen before. */
  fired: Alert[];
  /** Alerts the page saw firing that are now resolved. */
  resolved: Alert[];
}

/**
 * Compares the alerts with what the page saw last time, and remembers them. The first list only
 * sets what is known (nothing to say about alerts that fired before the page opened); an alert
 * that fired and resolved while the page was not listening (a reconnect's fresh list) is not news
 * either. Each alert fires once and resolves once here, whatever the number of copies.
 */
export function alertChanges(memory: AlertMemory, alerts: readonly Alert[]): AlertChanges {
  const changes: AlertChanges = { fired: [], resolved: [] };
  const before = memory.seen;
  // Ids missing from this list are kept: a list that briefly lacks an alert (a REST answer sent
  // before it fired) must not make it news again.
  const seen = new Map(before);
  for (const alert of alerts) {
    const was = before?.get(alert.id);
    // A resolved alert stays resolved: a late firing copy changes nothing.
    const state = was === 'resolved' ? 'resolved' : alert.state;
    seen.set(alert.id, state);
    if (!before) continue;
    if (was === undefined && state === 'firing') changes.fired.push(alert);
    else if (was === 'firing' && state === 'resolved') changes.resolved.push(alert);
  }
  for (const id of seen.keys()) {
    if (seen.size <= MAX_REMEMBERED) break;
    seen.delete(id);
  }
  memory.seen = seen;
  return changes;
}
