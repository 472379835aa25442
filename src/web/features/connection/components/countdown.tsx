import { useState } from 'react';
import { formatCountdown } from '../../../lib/format.ts';
import { useClockSkew } from '../../../lib/relay-clock.ts';
import { useNow } from '../../../lib/ticker.ts';
import { ProgressRing } from './progress-ring.tsx';

export interface CountdownProps {
  /** When the wait ends (epoch ms). */
  until: number;
  /** When the wait began (epoch ms); draws the progress ring when given. */
  from?: number | undefined;
  /**
   * Whose clock `until`/`from` are on: `relay` times (a shard's `retryAt`) are compared with the
   * local clock corrected by the measured skew; `local` times (the browser link's own retry) are not.
   */
  clock: 'relay' | 'local';
  testId: string;
  /** Read by screen readers before the time, e.g. "reconnects in". */
  label?: string;
}

/**
 * Time left until `until`, re-read from the clock every second and on waking up (never a
 * decremented counter, so a throttled background tab is right the moment it is shown again).
 * Give it `key={until}` so a new wait remounts it: the shared ticker's reading can be up to a
 * second old, and a wait that just began must not show one second more than it lasts.
 */
export function Countdown({ until, from, clock, testId, label }: CountdownProps) {
  const [mountedAt] = useState(() => Date.now());
  const local = Math.max(useNow(), mountedAt);
  const skew = useClockSkew();
  const now = clock === 'relay' ? local + skew : local;
  const remaining = Math.max(0, until - now);
  const seconds = Math.ceil(remaining / 1000);
  const span = from !== undefined ? until - from : 0;
  return (
    <span className="countdown" data-testid={testId} data-remaining-s={seconds} data-due={remaining === 0 || undefined}>
      {from !== undefined && span > 0 ? <ProgressRing fraction={(now - from) / span} size={20} /> : null}
      <span className="countdown__text">
        {label ? <span className="visually-hidden">{label} </span> : null}
        <time dateTime={`PT${seconds}S`}>{formatCountdown(remaining)}</time>
      </span>
    </span>
  );
}
