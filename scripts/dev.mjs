#!/usr/bin/env node
// `npm run dev`: the relay (restarted on change by tsx watch) and Vite's dev server with hot
// reload, proxying /api to the relay. Ctrl-C stops both.
import { spawn } from 'node:child_process';

const relayPort = process.env.PORT ?? '8080';
const children = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'src/relay/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: relayPort },
  }),
  spawn('npx', ['vite'], { stdio: 'inherit', env: { ...process.env, RELAY_URL: `http://127.0.0.1:${relayPort}` } }),
];
console.log(`Dev: relay on :${relayPort}, dashboard with hot reload on http://127.0.0.1:5173/`);

let exiting = false;
function stop(code = 0) {
  if (exiting) return;
  exiting = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
