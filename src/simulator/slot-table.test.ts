import { describe, expect, it } from 'vitest';
import { SlotTable, type QueuedHit } from './slot-table.ts';

const hit = (n: number, hash = n, at = 0): QueuedHit => ({ line: `{"n":${n}}`, hash, at });
const table = (backlogMs = 300_000) => new SlotTable({ backlogMs, random: () => 0.999 });

describe('SlotTable', () => {
  it('grants a slot per connection up to N, then 409 too_many_connections', () => {
    const t = table();
    const a = t.acquire(2, 0, 60_000);
    const b = t.acquire(2, 0, 60_000);
    expect(a.ok && b.ok && [a.slot, b.slot].sort()).toEqual([0, 1]);
    expect(t.acquire(2, 0, 60_000)).toMatchObject({ ok: false, status: 409, error: 'too_many_connections' });
  });

  it('refuses a connect whose maxConnections differs from the open ones with a mismatch 409', () => {
    const t = table();
    expect(t.acquire(2, 0, 60_000).ok).toBe(true);
    const refused = t.acquire(3, 0, 60_000);
    expect(refused).toMatchObject({ ok: false, status: 409 });
    expect(!refused.ok && refused.description).toMatch(/mismatch/);
    expect(t.size).toBe(2);
  });

  it('answers 503 to a reconnect within the churn window, and a refusal does not extend it', () => {
    const t = table();
    expect(t.acquire(1, 0, 60_000).ok).toBe(true);
    t.release(0, 1000);
    expect(t.acquire(1, 30_000, 60_000)).toMatchObject({ ok: false, status: 503, retryAfterS: 31 });
    expect(t.acquire(1, 60_999, 60_000).ok).toBe(false);
    expect(t.acquire(1, 61_000, 60_000).ok).toBe(true);
  });

  it('takes the free slot released longest ago', () => {
    const t = table();
    t.acquire(3, 0, 0);
    t.acquire(3, 0, 0);
    t.acquire(3, 0, 0);
    t.release(2, 100);
    t.release(0, 200);
    const grant = t.acquire(3, 1000, 500);
    expect(grant).toMatchObject({ ok: true, slot: 2 });
  });

  it('keeps what a disconnected slot missed, and replays some delivered hits first', () => {
    const t = table();
    t.acquire(1, 0, 0);
    for (let i = 0; i < 30; i++) t.delivered(0, hit(i));
    t.release(0, 10);
    t.enqueue(0, hit(100, 0, 20));
    t.enqueue(0, hit(101, 0, 30));
    const grant = t.acquire(1, 100, 0);
    if (!grant.ok) throw new Error('refused');
    expect(grant.duplicates.map((h) => h.line)).toEqual(Array.from({ length: 20 }, (_, i) => `{"n":${10 + i}}`));
    expect(grant.backlog.map((h) => h.line)).toEqual(['{"n":100}', '{"n":101}']);
  });

  it('puts back the undelivered hits of a dropped connection ahead of newer ones', () => {
    const t = table();
    t.acquire(1, 0, 0);
    t.release(0, 10, [hit(1), hit(2)]);
    t.enqueue(0, hit(3));
    const grant = t.acquire(1, 20, 0);
    expect(grant.ok && grant.backlog.map((h) => h.line)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('skips the backlog and duplicates with reset=largest', () => {
    const t = table();
    t.acquire(1, 0, 0);
    t.delivered(0, hit(1));
    t.release(0, 10);
    t.enqueue(0, hit(2));
    expect(t.acquire(1, 20, 0, 'largest')).toMatchObject({ ok: true, duplicates: [], backlog: [] });
  });

  it('applies reset=largest only once all connections are closed, to every slot', () => {
    const t = table();
    t.acquire(2, 0, 0);
    t.acquire(2, 0, 0);
    t.delivered(0, hit(1, 0));
    t.delivered(1, hit(2, 1));
    t.release(0, 10);
    t.enqueue(0, hit(3, 0));
    // Slot 1 is still open: the reset is ignored, slot 0 resumes.
    const joined = t.acquire(2, 20, 0, 'largest');
    expect(joined.ok && joined.backlog.map((h) => h.line)).toEqual(['{"n":3}']);
    expect(joined.ok && joined.duplicates.length).toBe(1);
    t.release(0, 30);
    t.release(1, 30);
    t.enqueue(0, hit(4, 0));
    t.enqueue(1, hit(5, 1));
    // All closed: the first connect skips to the newest data for the whole stream.
    expect(t.acquire(2, 40, 0, 'largest')).toMatchObject({ ok: true, duplicates: [], backlog: [] });
    expect(t.acquire(2, 40, 0)).toMatchObject({ ok: true, duplicates: [], backlog: [] });
    expect(t.backlogSizes()).toEqual([0, 0]);
  });

  it('keeps nothing before the first client, and drops hits older than the backlog window', () => {
    const t = table(1000);
    t.enqueue(0, hit(1));
    expect(t.backlogSizes()).toEqual([0]);
    t.acquire(1, 0, 0);
    t.release(0, 0);
    t.enqueue(0, hit(2, 0, 0));
    t.enqueue(0, hit(3, 0, 900));
    t.trim(1500);
    expect(t.backlogSizes()).toEqual([1]);
  });

  it('re-shards the backlog by visitor when the next clients use another N', () => {
    const t = table();
    t.acquire(1, 0, 0);
    t.release(0, 0);
    for (let i = 0; i < 6; i++) t.enqueue(0, hit(i, i, i));
    const grant = t.acquire(3, 10, 0);
    expect(t.size).toBe(3);
    if (!grant.ok) throw new Error('refused');
    expect(grant.backlog.every((h) => h.hash % 3 === grant.slot)).toBe(true);
    expect(t.backlogSizes().reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('lists the last delivered hits across slots in delivery order', () => {
    const t = table();
    t.acquire(2, 0, 0);
    t.acquire(2, 0, 0);
    t.delivered(0, hit(1));
    t.delivered(1, hit(2));
    t.delivered(0, hit(3));
    expect(t.lastDelivered(2)).toEqual([
      { slot: 1, hit: hit(2) },
      { slot: 0, hit: hit(3) },
    ]);
  });
});
