import { z } from 'zod';
import { ALERT_HISTORY_MS, AlertSchema, type Alert } from '../../contract/index.ts';

/**
 * The relay's alerts: those firing, and those resolved in the last 24 h (at most
 * `MAX_RESOLVED_ALERTS`), kept across a restart through an `AlertStore` so a restarted relay does
 * not fire again what was already firing (it resolves it once its condition is over).
 */

/** Resolved alerts kept at most, whatever their age (a flapping rule cannot grow the list). */
export const MAX_RESOLVED_ALERTS = 500;

/**
 * One alert as the relay keeps it: the contract's `Alert`, plus what a rule needs to judge it
 * again after a restart (never sent anywhere).
 */
export const KeptAlertSchema = z.object({
  alert: AlertSchema,
  /** `traffic_drop`: the baseline it was measured against (hits/s), for a restarted relay. */
  baselinePerS: z.number().optional(),
});
export type KeptAlert = z.output<typeof KeptAlertSchema>;

export interface AlertStore {
  load(): KeptAlert[];
  /** Never throws: a store that cannot persist keeps the alerts in the process. */
  save(alerts: readonly KeptAlert[]): void;
}

export class MemoryAlertStore implements AlertStore {
  private kept: KeptAlert[] = [];
  load(): KeptAlert[] {
    return this.kept.map((k) => ({ ...k, alert: { ...k.alert } }));
  }
  save(alerts: readonly KeptAlert[]): void {
    this.kept = alerts.map((k) => ({ ...k, alert: { ...k.alert } }));
  }
}

/** The key of an alert: one firing alert per rule and shard at most. */
export function alertKey(rule: string, shard: number | undefined): string {
  return shard === undefined ? rule : `${rule}:${shard}`;
}

export class AlertBook {
  private readonly firing = new Map<string, KeptAlert>();
  private resolved: KeptAlert[] = [];

  constructor(
    private readonly store: AlertStore,
    private readonly now: () => number,
  ) {
    for (const kept of store.load()) {
      if (kept.alert.state === 'firing') this.firing.set(alertKey(kept.alert.rule, kept.alert.shard), kept);
      else this.resolved.push(kept);
    }
    this.prune();
  }

  get(rule: string, shard?: number): KeptAlert | undefined {
    return this.firing.get(alertKey(rule, shard));
  }

  firingAlerts(): KeptAlert[] {
    return [...this.firing.values()];
  }

  fire(kept: KeptAlert): void {
    this.firing.set(alertKey(kept.alert.rule, kept.alert.shard), kept);
    this.save();
  }

  /** Ends the firing alert: returns it resolved, or undefined when it was not firing. */
  resolve(rule: string, shard: number | undefined, at: number): Alert | undefined {
    const key = alertKey(rule, shard);
    const kept = this.firing.get(key);
    if (!kept) return undefined;
    this.firing.delete(key);
    const alert: Alert = { ...kept.alert, state: 'resolved', endsAt: at };
    this.resolved.push({ ...kept, alert });
    this.prune();
    this.save();
    return alert;
  }

  /** Firing first (newest first), then the resolved ones of the last 24 h (newest first). */
  list(): Alert[] {
    this.prune();
    const newest = (a: Alert, b: Alert) => (b.endsAt ?? b.startsAt) - (a.endsAt ?? a.startsAt);
    return [
      ...[...this.firing.values()].map((k) => k.alert).sort((a, b) => b.startsAt - a.startsAt),
      ...this.resolved.map((k) => k.alert).sort(newest),
    ];
  }

  private prune(): void {
    const since = this.now() - ALERT_HISTORY_MS;
    this.resolved = this.resolved.filter((k) => (k.alert.endsAt ?? k.alert.startsAt) >= since);
    if (this.resolved.length > MAX_RESOLVED_ALERTS) this.resolved = this.resolved.slice(-MAX_RESOLVED_ALERTS);
  }

  private save(): void {
    this.store.save([...this.firing.values(), ...this.resolved]);
  }
}
