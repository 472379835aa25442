import type { Simulator } from './server.ts';

/** What `npm run simulator` prints once it listens: the URLs and Adobe's client command, ready to paste. */
export function usageBanner(
  sim: Pick<Simulator, 'streamUrl' | 'tokenUrl' | 'controlUrl' | 'redirectOrigin' | 'clientId' | 'clientSecret'>,
  info: { rate: number; churnWindowS: number },
): string {
  const token = `curl -s -X POST ${sim.tokenUrl} -d grant_type=client_credentials -d client_id=${sim.clientId} -d client_secret=${sim.clientSecret}`;
  const stream = (bearer: string) =>
    `curl --location-trusted --compressed -H "Authorization: Bearer ${bearer}" -H "x-api-key: ${sim.clientId}" ${sim.streamUrl}`;
  return [
    `Livestream simulator: ${info.rate} hits/s on average, churn window ${info.churnWindowS} s`,
    `  stream   ${sim.streamUrl}  (the first connect is redirected to ${sim.redirectOrigin})`,
    `  token    ${sim.tokenUrl}  (client_id ${sim.clientId}, client_secret ${sim.clientSecret})`,
    `  control  ${sim.controlUrl}  (GET it for the list of faults)`,
    '',
    'Adobe’s client command against it — get a token, then stream:',
    `  ${token}`,
    `  ${stream('<token>')}`,
    '',
    'Or in one go:',
    `  TOKEN=$(${token} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  ${stream('$TOKEN')}`,
    '',
  ].join('\n');
}
