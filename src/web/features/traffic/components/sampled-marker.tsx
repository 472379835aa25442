import type { Sampled } from '../../../../contract/index.ts';
import { useSteadySampling } from '../../../lib/use-steady.ts';

export interface SampledMarkerProps {
  sampled?: Sampled | undefined;
  received: number;
  shown: number;
}

/**
 * "1 in N shown" with received/shown counts (changed at most once a second: `useSteadySampling`);
 * renders nothing while the feed is not sampled.
 */
export function SampledMarker({ sampled, received, shown }: SampledMarkerProps) {
  const { label, counts } = useSteadySampling(sampled, received, shown);
  if (!label) return null;
  return (
    <p className="traffic-sampled" data-testid="sampled-marker">
      <strong>{label}</strong> in the live feed: {counts}. Charts count every hit.
    </p>
  );
}
