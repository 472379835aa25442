import { formatCount } from '../../../lib/format.ts';
import type { Sampled } from '../../../../contract/index.ts';
import { sampledLabel } from '../../../lib/sampling.ts';

export interface SampledMarkerProps {
  sampled?: Sampled | undefined;
  received: number;
  shown: number;
}

/** "1 in N shown" with received/shown counts; renders nothing while the feed is not sampled. */
export function SampledMarker({ sampled, received, shown }: SampledMarkerProps) {
  const label = sampledLabel(sampled);
  if (!label) return null;
  return (
    <p className="traffic-sampled" data-testid="sampled-marker">
      <strong>{label}</strong> in the live feed: received {formatCount(received)}, shown {formatCount(shown)}. Charts
      count every hit.
    </p>
  );
}
