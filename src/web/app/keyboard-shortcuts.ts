import { useEffect } from 'react';

/** Keys that toggle pause, as shown in the UI. */
export const PAUSE_KEYS_LABEL = 'P or Space';
/** The same keys in `aria-keyshortcuts` syntax. */
export const PAUSE_SHORTCUT = 'P Space';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.matches('input, textarea, select, [role="textbox"], [role="combobox"]');
}

function isControl(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    !!target.closest('button, a[href], summary, [role="button"], [role="link"], [tabindex]:not([tabindex="-1"])')
  );
}

/**
 * Pause shortcut: `p` anywhere but in a text field; Space only when no control has the focus
 * (Space on a button must still press that button).
 */
export function usePauseShortcut(toggle: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (isTextEntry(event.target)) return;
      if (event.key === 'p' || event.key === 'P' || (event.key === ' ' && !isControl(event.target))) {
        event.preventDefault();
        toggle();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [toggle]);
}
