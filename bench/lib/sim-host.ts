/**
 * The simulator alone in a child process, configured by one JSON argument (SimulatorOptions),
 * for suites that need it apart from a relay. Prints `SIM <json>` with its URLs and client
 * credentials, and closes on SIGTERM.
 *
 *   node --import tsx bench/lib/sim-host.ts '{"rate":100000,"rhythm":false}'
 */
import { startSimulator, type SimulatorOptions } from '../../src/simulator/server.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sim = await startSimulator(options);
console.log(
  `SIM ${JSON.stringify({
    streamUrl: sim.streamUrl,
    tokenUrl: sim.tokenUrl,
    controlUrl: sim.controlUrl,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
  })}`,
);
const stop = () => {
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
