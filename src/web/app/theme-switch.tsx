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
