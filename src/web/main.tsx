import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { applyTheme } from './app/theme.ts';
import './styles/theme.css';
import './styles/app.css';

applyTheme();

// ── Mock mode ────────────────────────────────────────────────────────────────────────────────
// `npm run demo` (mode "demo") starts MSW before the app mounts, so the first request is mocked.
// Intended form, once src/mocks/browser.ts exists:
//   if (import.meta.env.MODE === 'demo') { const { startMocks } = await import('../mocks/browser.ts'); await startMocks(); }
// The glob keeps type checking green while that file does not exist yet (it then matches nothing).
if (import.meta.env.MODE === 'demo') {
  const mocks = import.meta.glob<{ startMocks: () => Promise<unknown> }>('../mocks/browser.ts');
  const load = mocks['../mocks/browser.ts'];
  if (load) {
    const { startMocks } = await load();
    await startMocks();
  } else {
    console.warn('Mock mode: src/mocks/browser.ts is missing; requests go to the network.');
  }
}
// ─────────────────────────────────────────────────────────────────────────────────────────────

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
