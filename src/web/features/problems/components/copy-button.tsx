import { useEffect, useState } from 'react';
import { copyText } from '../../../lib/clipboard.ts';

/** Copies `text` and says so ("Copied"), or says it could not. */
export function CopyButton({
  text,
  label = 'Copy for support',
  testId,
}: {
  text: string;
  label?: string;
  testId?: string;
}) {
  const [result, setResult] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (result === 'idle') return;
    const timer = setTimeout(() => setResult('idle'), 3000);
    return () => clearTimeout(timer);
  }, [result]);
  return (
    <span className="copy-button">
      <button
        type="button"
        className="button button--small"
        data-testid={testId}
        onClick={() => {
          void copyText(text).then((ok) => setResult(ok ? 'copied' : 'failed'));
        }}
      >
        {label}
      </button>
      <span className="copy-button__result" aria-live="polite">
        {result === 'copied' ? 'Copied' : result === 'failed' ? 'Could not copy: select the text below' : ''}
      </span>
      {result === 'failed' ? (
        <textarea className="copy-button__fallback" readOnly value={text} aria-label="Support bundle" rows={6} />
      ) : null}
    </span>
  );
}
