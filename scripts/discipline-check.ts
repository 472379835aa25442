/**
 * `node --import tsx scripts/discipline-check.ts [minutes]`: starts the relay with the defaults
 * (`npm start`, embedded simulator, 60 s cooldown), watches it for N minutes (default 10) —
 * every second: how many upstream connections are open, how many attempts were made — then kills
 * the upstream socket and measures when the next attempt comes. Prints the figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const minutes = Number(process.argv[2] ?? 10);
const port = 18900;
const simPort = 18901;
const sim = `http://127.0.0.1:${simPort}/__sim`;
const relay = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    SIM_PORT: String(simPort),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'lsm-check-')),
    LOG_LEVEL: 'warn',
  },
  stdio: 'ignore',
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = async <T>(url: string, init?: RequestInit): Promise<T> => (await fetch(url, init)).json() as Promise<T>;

interface SimState {
  open: unknown[];
}
interface Attempt {
  kind: string;
  at: number;
  status: number;
}
interface Status {
  shards: { state: string; hits: number }[];
  counters: { hits: number; reconnects: number };
}

try {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // starting
    }
    await sleep(500);
  }
  const started = Date.now();
  let maxOpen = 0;
  let samples = 0;
  let notStreaming = 0;
  while (Date.now() - started < minutes * 60_000) {
    const state = await json<SimState>(`${sim}/state`);
    const status = await json<Status>(`http://127.0.0.1:${port}/api/status`);
    maxOpen = Math.max(maxOpen, state.open.length);
    if (status.shards[0]?.state !== 'streaming') notStreaming++;
    samples++;
    await sleep(1000);
  }
  const attempts = (await json<Attempt[]>(`${sim}/connections`)).filter((a) => a.kind === 'stream');
  const status = await json<Status>(`http://127.0.0.1:${port}/api/status`);
  console.log(
    `watched ${minutes} min, ${samples} samples: max open upstream connections ${maxOpen}, samples not streaming ${notStreaming}`,
  );
  console.log(
    `stream attempts: ${attempts.map((a) => a.status).join(', ')}; distinct hits ${status.counters.hits}; reconnects ${status.counters.reconnects}`,
  );

  const killedAt = Date.now();
  await fetch(`${sim}/drop`, { method: 'POST', body: '{}' });
  let next: Attempt | undefined;
  while (!next && Date.now() - killedAt < 180_000) {
    await sleep(250);
    next = (await json<Attempt[]>(`${sim}/connections`)).filter((a) => a.kind === 'stream' && a.at > killedAt)[0];
  }
  console.log(
    next
      ? `upstream socket killed; next attempt after ${((next.at - killedAt) / 1000).toFixed(2)} s (status ${next.status})`
      : 'no attempt within 180 s',
  );
} finally {
  relay.kill('SIGTERM');
}
