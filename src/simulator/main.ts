// `npm run simulator`: the simulator alone, configured from SIM_* variables (see simulator-env.ts).
import { startSimulator } from './server.ts';
import { readSimulatorEnv } from './simulator-env.ts';
import { usageBanner } from './usage-banner.ts';

const env = readSimulatorEnv(process.env);
if (!env.ok) {
  console.error(`simulator: ${env.message}`);
  process.exit(1);
}

const { options } = env;
let sim;
try {
  sim = await startSimulator({ ...options, log: (line) => console.log(line) });
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  console.error(
    `simulator: cannot listen on ${options.host}:${options.port}/${options.redirectPort} (${code ?? message}); set SIM_PORT / SIM_REDIRECT_PORT`,
  );
  process.exit(1);
}
const running = sim;
console.log(usageBanner(running, { rate: options.rate ?? 300, churnWindowS: options.churnWindowS ?? 60 }));

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`simulator: ${signal}, closing`);
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
