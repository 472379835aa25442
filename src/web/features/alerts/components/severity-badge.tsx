import type { Alert } from '../../../../contract/index.ts';

/** `critical` / `warning`: in words, and in colour. */
export function SeverityBadge({ severity }: { severity: Alert['severity'] }) {
  return (
    <span className={`severity severity--${severity}`} data-testid="alert-severity">
      {severity}
    </span>
  );
}
