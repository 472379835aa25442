import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { prefetchLongWindow } from './app/live-panels.tsx';
import { applyTheme } from './app/theme.ts';
import { createQueryClient } from './lib/query-client.ts';
import './styles/theme.css';
import './styles/app.css';

applyTheme();

// Mock mode (`npm run demo`, mode "demo"): MSW starts before the app mounts, so the first request
// is mocked. Any other mode drops this branch at build time: no mock code, no MSW.
if (import.meta.env.MODE === 'demo') {
  const { startMocks } = await import('../mocks/browser.ts');
  await startMocks();
}

const queryClient = createQueryClient();
prefetchLongWindow(queryClient, location.search);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);
