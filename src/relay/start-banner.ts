/**
 * What `npm start` prints once the relay listens, after its "relay started" log line: where the
 * dashboard is, what the upstream is, and with the embedded simulator a fault to try, as a
 * command ready to copy (the `#` comment keeps the whole line safe to paste into a shell).
 */
export interface StartInfo {
  version: string;
  /** The dashboard's URL. */
  url: string;
  mode: 'simulator' | 'adobe';
  /** The upstream as shown to people (no secret). */
  upstreamUrl: string;
  /** The embedded simulator's control API (`…/__sim`), in simulator mode. */
  controlUrl?: string | undefined;
  cooldownS: number;
}

export function startBanner(info: StartInfo): string[] {
  const lines = ['', `Livestream Monitor ${info.version} — dashboard at ${info.url}`];
  if (info.mode === 'simulator' && info.controlUrl) {
    const control = info.controlUrl.replace(/\/+$/, '');
    lines.push(
      `Upstream: embedded simulator (control API ${control}: GET it for the list of faults)`,
      `curl -X POST ${control}/drop   # try a fault: the stream drops, the relay waits the ${info.cooldownS} s cooldown, then resumes`,
    );
  } else {
    lines.push(`Upstream: ${info.upstreamUrl}`);
  }
  lines.push('');
  return lines;
}
