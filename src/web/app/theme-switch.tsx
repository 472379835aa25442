import { zoneChoiceLabel, type TimeZoneMode } from '../lib/format-time.ts';
import { useTimeZone } from '../lib/time-zone.ts';
import { useTheme, type ThemePreference } from './theme.ts';

const CHOICES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Three toggle buttons: follow the system, or force light or dark. */
export function ThemeSwitch() {
  const { preference, setPreference } = useTheme();
  return (
    <div className="segmented" role="group" aria-label="Theme" data-testid="theme-switch">
      {CHOICES.map((choice) => (
        <button
          key={choice.value}
          type="button"
          className="segmented__item"
          aria-pressed={preference === choice.value}
          onClick={() => setPreference(choice.value)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}

const ZONES: readonly TimeZoneMode[] = ['local', 'utc'];

/**
 * Two toggle buttons: times in this browser's zone (named: "Local (EST)") or in UTC. Remembered
 * like the theme, and kept in the URL so a shared view shows the same times.
 */
export function TimeZoneSwitch() {
  const [zone, setZone] = useTimeZone();
  return (
    <div className="segmented" role="group" aria-label="Times in" data-testid="time-zone-switch">
      {ZONES.map((choice) => (
        <button
          key={choice}
          type="button"
          className="segmented__item"
          aria-pressed={zone === choice}
          onClick={() => setZone(choice)}
          data-zone={choice}
        >
          {zoneChoiceLabel(choice)}
        </button>
      ))}
    </div>
  );
}
