/**
 * `npm run bench`: runs the named benchmark suites and rewrites bench/RESULTS.md.
 *
 *   npm run bench                      ingest, ingest-http, fan-out, browser, catch-up, start-up, memory, history
 *   npm run bench -- --quick           the same, shorter (about 3 minutes)
 *   npm run bench -- --only ingest     one suite (comma-separated for several)
 *   npm run bench -- --long            browser suite for 5 minutes (heap growth)
 *   npm run bench -- --soak            adds the 30-minute soak (--soak-minutes N, --fault-every-s S)
 *   npm run bench -- --only ingest --ingest-against <commit>
 *                                      the ingest suite also measures that commit's relay path, same run
 *
 * Every child process is stopped by pid at the end, whatever happens.
 */
import { killAllTracked, stopAllTracked } from './lib/children.ts';
import { newResult, type Suite, type SuiteContext } from './lib/suite.ts';
import { gitState, machine, machineBusy } from './lib/machine.ts';
import { writeResults } from './lib/report.ts';
import { browserSuite } from './suites/browser.ts';
import { catchUpSuite } from './suites/catch-up.ts';
import { clusterSuite } from './suites/cluster.ts';
import { fanOutSuite } from './suites/fan-out.ts';
import { historySuite } from './suites/history.ts';
import { ingestSuite } from './suites/ingest.ts';
import { ingestHttpSuite } from './suites/ingest-http.ts';
import { memorySuite } from './suites/memory.ts';
import { soakSuite } from './suites/soak.ts';
import { startUpSuite } from './suites/start-up.ts';

const SUITES: Suite[] = [
  ingestSuite,
  ingestHttpSuite,
  fanOutSuite,
  browserSuite,
  catchUpSuite,
  startUpSuite,
  memorySuite,
  historySuite,
  clusterSuite,
  soakSuite,
];
const DEFAULT = ['ingest', 'ingest-http', 'fan-out', 'browser', 'catch-up', 'start-up', 'memory', 'history', 'cluster'];

function parseArgs(argv: string[]) {
  const flags = {
    quick: false,
    long: false,
    soak: false,
    only: [] as string[],
    soakMinutes: 30,
    faultEveryS: 120,
    ingestAgainst: undefined as string | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') flags.quick = true;
    else if (arg === '--long') flags.long = true;
    else if (arg === '--soak') flags.soak = true;
    else if (arg.startsWith('--only')) flags.only.push(...value().split(','));
    else if (arg.startsWith('--soak-minutes')) {
      flags.soakMinutes = Number(value());
      flags.soak = true;
    } else if (arg.startsWith('--fault-every-s')) flags.faultEveryS = Number(value());
    else if (arg.startsWith('--ingest-against')) flags.ingestAgainst = value();
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: npm run bench -- [--quick] [--long] [--soak] [--soak-minutes N] [--fault-every-s S] [--ingest-against COMMIT] [--only ingest,ingest-http,catch-up,fan-out,browser,start-up,memory,history,cluster,soak]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (!(flags.soakMinutes > 0)) throw new Error('--soak-minutes must be a positive number');
  if (!(flags.faultEveryS > 0)) throw new Error('--fault-every-s must be a positive number');
  const known = new Set(SUITES.map((s) => s.name));
  for (const name of flags.only)
    if (!known.has(name)) throw new Error(`unknown suite ${name} (${[...known].join(', ')})`);
  return flags;
}

const argv = process.argv.slice(2);
let flags: ReturnType<typeof parseArgs>;
try {
  flags = parseArgs(argv);
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(2);
}

process.on('exit', killAllTracked);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\nbench: ${signal}, stopping child processes…`);
    void stopAllTracked().finally(() => process.exit(130));
  });
}

const names = flags.only.length ? flags.only : [...DEFAULT, ...(flags.soak ? ['soak'] : [])];
const chosen = SUITES.filter((s) => names.includes(s.name));
const started = new Date();
const t0 = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const ctx: SuiteContext = {
  quick: flags.quick,
  long: flags.long,
  soakMinutes: flags.soakMinutes,
  faultEveryS: flags.faultEveryS,
  ...(flags.ingestAgainst ? { ingestAgainst: flags.ingestAgainst } : {}),
  log,
};
const passthrough = argv.filter((a) => !a.startsWith('--only')).join(' ');
const gitAtStart = gitState();
const busyBefore = await machineBusy(1000);
const info = machine();
log(
  `machine: ${info.cpu}, ${info.cores} cores, load ${info.loadAverage.join(' ')}, ${Math.round(busyBefore * 100)} % busy`,
);

const results = [];
for (const suite of chosen) {
  const command = `npm run bench -- --only ${suite.name}${flags.quick ? ' --quick' : ''}${
    suite.name === 'browser' && flags.long ? ' --long' : ''
  }${suite.name === 'soak' && flags.soakMinutes !== 30 ? ` --soak-minutes ${flags.soakMinutes}` : ''}`;
  const result = newResult(suite, command);
  result.commit = gitState().commit;
  const s0 = performance.now();
  log(`── ${suite.name} ──`);
  try {
    await suite.run(ctx, result);
  } catch (error) {
    result.error = (error as Error).stack?.split('\n').slice(0, 4).join(' ') ?? String(error);
    log(`${suite.name}: ERROR ${(error as Error).message}`);
  }
  await stopAllTracked();
  result.durationS = (performance.now() - s0) / 1000;
  results.push(result);
  log(`${suite.name}: done in ${Math.round(result.durationS)} s`);
  if (interrupted) break;
}

const git = gitAtStart;
writeResults(
  {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench${passthrough || flags.only.length ? ` -- ${argv.join(' ')}` : ''}`,
    flags: argv,
    machine: info,
    git,
    busyBefore,
    durationS: (performance.now() - t0) / 1000,
  },
  results,
);
const { passes } = await import('./lib/figures.ts');
const failed = results.flatMap((r) => r.figures.filter((f) => passes(f) === false).map((f) => `${r.suite}: ${f.name}`));
const errors = results.filter((r) => r.error).map((r) => r.suite);
log(
  `bench/RESULTS.md written. ${failed.length ? `Targets missed: ${failed.join('; ')}.` : 'Every target held.'}${errors.length ? ` Suites with errors: ${errors.join(', ')}.` : ''}`,
);
process.exit(errors.length ? 1 : 0);
