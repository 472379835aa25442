import { formatWindow } from '../utils/format.ts';
import { TRAFFIC_WINDOWS_S, type TrafficWindowS } from '../utils/windows.ts';

export interface WindowSelectorProps {
  value: TrafficWindowS;
  onChange: (windowS: TrafficWindowS) => void;
}

/** Toggle buttons for the charts' window: native buttons, so Tab, Enter and Space just work. */
export function WindowSelector({ value, onChange }: WindowSelectorProps) {
  return (
    <div className="traffic-windows" role="group" aria-label="Time window">
      {TRAFFIC_WINDOWS_S.map((w) => (
        <button
          key={w}
          type="button"
          className="traffic-windows__button"
          aria-pressed={w === value}
          onClick={() => onChange(w)}
        >
          {formatWindow(w)}
        </button>
      ))}
    </div>
  );
}
