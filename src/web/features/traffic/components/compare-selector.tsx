import { useId } from 'react';
import { parseCompare, type CompareKey } from '../utils/windows.ts';

export interface CompareSelectorProps {
  value: CompareKey | undefined;
  onChange: (compare: CompareKey | undefined) => void;
}

/** "Compare with: none / yesterday / last week": a native select, labelled. */
export function CompareSelector({ value, onChange }: CompareSelectorProps) {
  const id = useId();
  return (
    <span className="traffic-compare">
      <label htmlFor={id}>Compare with</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => onChange(parseCompare(e.currentTarget.value))}
        data-testid="compare-select"
      >
        <option value="">nothing</option>
        <option value="1d">yesterday</option>
        <option value="7d">last week</option>
      </select>
    </span>
  );
}
