/**
 * What a stream URL says about the Livestream API it reads (issue 12, Adobe's 2026 Livestream):
 * `/api/2/stream/<name>` and `/api/1/stream/<name>?beta=true` serve the 2026 payload, plain
 * `/api/1/stream/<name>` the 2024 one; `GET <origin>/api/2/enable/<name>` switches a stream to the
 * latest API version (about 15 minutes later), the fix for a 424 `stream_not_enabled`.
 */

/** How long Adobe takes to switch a stream after the enable call, in seconds (about 15 minutes). */
export const ENABLE_TAKES_EFFECT_S = 15 * 60;

export interface UpstreamApi {
  /** The version in the path (`/api/<version>/stream/…`); undefined for a URL of another shape. */
  apiVersion?: number;
  /** `2026` with `/api/2` (or higher) or `beta=true`, `2024` otherwise; undefined with `apiVersion`. */
  payload?: '2026' | '2024';
  /** The endpoint name, decoded. */
  endpoint?: string;
  /** The `reset` the first attempt sends (`LIVESTREAM_RESET`), or `none`. */
  reset: string;
  /** `GET` this to enable the stream for the latest API version, on the configured host. */
  enableUrl?: string;
}

const STREAM_PATH = /^\/api\/(\d{1,3})\/stream\/([^/]+)\/?$/;

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Reads the API version, payload, endpoint name, reset and enable call from a stream URL. */
export function describeUpstream(streamUrl: string): UpstreamApi {
  let url: URL;
  try {
    url = new URL(streamUrl);
  } catch {
    return { reset: 'none' };
  }
  const reset = url.searchParams.get('reset');
  const described: UpstreamApi = { reset: reset === null || reset === '' ? 'none' : reset };
  const match = STREAM_PATH.exec(url.pathname);
  if (!match) return described;
  const apiVersion = Number(match[1]);
  const beta = /^true$/i.test(url.searchParams.get('beta') ?? '');
  described.apiVersion = apiVersion;
  described.payload = apiVersion >= 2 || beta ? '2026' : '2024';
  described.endpoint = decodeName(match[2]!);
  described.enableUrl = `${url.origin}/api/2/enable/${match[2]!}`;
  return described;
}

/** The enable call for a stream URL (on its own origin, never with its credentials or query); undefined when the path is not a stream's. */
export function enableUrlFor(streamUrl: string | undefined): string | undefined {
  return streamUrl ? describeUpstream(streamUrl).enableUrl : undefined;
}
