/**
 * Where a redirect may take the stream's credentials (`Authorization`, `x-api-key`): to the
 * configured host, to a host under the configured host's parent domain (`livestream.adobe.net`
 * trusts `*.adobe.net`; an IP address or a one-label name like `localhost` trusts only itself),
 * or to a host in `LIVESTREAM_REDIRECT_HOSTS` (`*.example.com` patterns allowed); never from
 * `https` to `http`, never to another scheme. Pure: no Node, no DOM.
 */

export type RedirectDecision = { follow: true; url: URL } | { follow: false; reason: string };

/** At most this much of a hostile `Location` is ever quoted in a reason. */
const QUOTE_LIMIT = 120;

function quote(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(printable.length > QUOTE_LIMIT ? `${printable.slice(0, QUOTE_LIMIT)}…` : printable);
}

function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
}

/** `*.adobe.net` for `livestream.adobe.net`; nothing for an IP, `localhost` or a two-label name. */
function parentDomain(hostname: string): string | undefined {
  if (isIpLiteral(hostname)) return undefined;
  const labels = hostname.split('.');
  // `adobe.net` → `net` would trust a whole top-level domain.
  if (labels.length < 3) return undefined;
  return labels.slice(1).join('.');
}

function matches(hostname: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return hostname.endsWith(pattern.slice(1));
  return hostname === pattern;
}

/** Whether `hostname` may receive the credentials configured for `configured`. */
export function isTrustedHost(hostname: string, configured: string, extra: readonly string[] = []): boolean {
  const host = hostname.toLowerCase();
  const home = configured.toLowerCase();
  if (host === home) return true;
  const parent = parentDomain(home);
  if (parent && !isIpLiteral(host) && host.endsWith(`.${parent}`)) return true;
  return extra.some((pattern) => matches(host, pattern.toLowerCase()));
}

/**
 * What to do with a redirect from `current` (a hop of the stream `configured`) to `location`.
 * Never throws: a `Location` that cannot be parsed is a refusal with a reason.
 */
export function decideRedirect(
  current: URL,
  location: string,
  configured: URL,
  extraHosts: readonly string[] = [],
): RedirectDecision {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return { follow: false, reason: `the redirect's Location cannot be parsed: ${quote(location)}` };
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return { follow: false, reason: `the redirect leads to a ${quote(next.protocol)} URL, not http(s)` };
  }
  if (current.protocol === 'https:' && next.protocol === 'http:') {
    return { follow: false, reason: `the redirect downgrades https to http (${next.host})` };
  }
  if (next.username || next.password) {
    return { follow: false, reason: `the redirect's Location carries user credentials (${next.host})` };
  }
  if (!isTrustedHost(next.hostname, configured.hostname, extraHosts)) {
    return {
      follow: false,
      reason: `the redirect leads to ${next.host}, which is neither ${configured.hostname}, a host under its parent domain, nor in LIVESTREAM_REDIRECT_HOSTS`,
    };
  }
  return { follow: true, url: next };
}
