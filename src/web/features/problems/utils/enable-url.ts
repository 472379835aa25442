/**
 * The call that enables a stream for the latest Livestream API version (424 `stream_not_enabled`):
 * `GET <origin>/api/2/enable/<endpoint name>`, derived from the stream URL the relay reads
 * (`/api/1/stream/<name>` or `/api/2/stream/<name>`). Undefined when the URL has no such path.
 */
export function enableUrlFor(streamUrl: string | undefined): string | undefined {
  if (!streamUrl) return undefined;
  let url: URL;
  try {
    url = new URL(streamUrl);
  } catch {
    return undefined;
  }
  const name = /^\/api\/\d+\/stream\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  return name ? `${url.origin}/api/2/enable/${name}` : undefined;
}
