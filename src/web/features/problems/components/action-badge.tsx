import { isKnownAction } from '../../../../contract/index.ts';

/** The recommended action as a badge; an action this dashboard does not know is shown as is. */
export function ActionBadge({ action }: { action: string }) {
  return (
    <span
      className={`badge badge--action badge--action-${isKnownAction(action) ? action : 'unknown'}`}
      data-testid="action-badge"
      data-action={action}
    >
      {action}
    </span>
  );
}
