import { formatCount } from '../../../lib/format.ts';
import type { Sampled } from '../../../../contract/index.ts';
import { sampledLabel } from '../../../lib/sampling.ts';
import { useSteady } from '../../../lib/use-steady.ts';

export interface SampledMarkerProps {
  sampled?: Sampled | undefined;
  received: number;
  shown: number;
}

/**
 * "1 in N shown" with received/shown counts (changed at most once a second: `useSteady`);
 * renders nothing while the feed is not sampled.
 */
export function SampledMarker({ sampled, received, shown }: SampledMarkerProps) {
  const label = useSteady(sampledLabel(sampled) ?? '');
  const counts = useSteady(`received ${formatCount(received)}, shown ${formatCount(shown)}`);
  if (!label) return null;
  return (
    <p className="traffic-sampled" data-testid="sampled-marker">
      <strong>{label}</strong> in the live feed: {counts}. Charts count every hit.
    </p>
  );
}
