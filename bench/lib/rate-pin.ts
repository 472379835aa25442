import { burstFactor, rateAt } from '../../src/simulator/generator/index.ts';

/**
 * Holds the embedded simulator at a flat rate. The relay starts its simulator with the daily
 * rhythm and bursts on (`rateAt`), which cannot be turned off from the environment: at 00:00 UTC
 * SIM_RATE=1000 gives about 600 hits/s, at 20:00 about 1,900, and 2–3.5× that during a burst.
 * `rateAt` is a pure function of time and linear in its base rate, so setting the base to
 * `target / rateAt(now, 1)` through the control API (`POST /__sim/rate`) gives `target` hits/s;
 * it is re-set every 250 ms and exactly at each burst's start and end.
 */
export class RatePin {
  private timer: NodeJS.Timeout | undefined;
  private readonly edges = new Set<NodeJS.Timeout>();
  private stopped = false;
  failures = 0;

  constructor(
    private readonly controlUrl: string,
    private target: number,
  ) {}

  async start(): Promise<void> {
    await this.apply(Date.now());
    this.loop();
  }

  async set(target: number): Promise<void> {
    this.target = target;
    await this.apply(Date.now());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const edge of this.edges) clearTimeout(edge);
    this.edges.clear();
  }

  private loop(): void {
    if (this.stopped) return;
    const now = Date.now();
    void this.apply(now);
    // A burst edge within the next 250 ms gets its own update, on time.
    const factor = burstFactor(now);
    for (let t = now + 5; t <= now + 250; t += 5) {
      if (burstFactor(t) !== factor) {
        const edge = setTimeout(() => {
          this.edges.delete(edge);
          void this.apply(Date.now() + 1);
        }, t - now);
        this.edges.add(edge);
        break;
      }
    }
    this.timer = setTimeout(() => this.loop(), 250);
  }

  private async apply(at: number): Promise<void> {
    if (this.stopped) return;
    const base = Math.min(100_000, this.target / rateAt(at, 1));
    try {
      const response = await fetch(`${this.controlUrl}/rate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rate: Math.round(base * 1000) / 1000 }),
      });
      await response.arrayBuffer();
      if (!response.ok) this.failures++;
    } catch {
      this.failures++;
    }
  }
}
