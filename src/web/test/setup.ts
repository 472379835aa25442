import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { relayClock } from '../lib/relay-clock.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  relayClock.reset();
  localStorage.clear();
  history.replaceState(null, '', '/');
});
