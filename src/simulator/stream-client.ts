import { request, type IncomingHttpHeaders } from 'node:http';
import { constants, gunzipSync, inflateSync } from 'node:zlib';

/**
 * A deliberately plain Livestream client for the simulator's tests: one HTTP/1.1 request on a
 * fresh socket, no redirect following, the body kept as the raw pieces that arrived (after
 * de-chunking) and decoded on demand. Not the relay's client: it checks what the wire holds.
 */
export interface StreamClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body bytes as they arrived, one entry per socket read (still compressed). */
  raw: Buffer[];
  /** Decompressed body so far (by `Content-Encoding`; raw bytes when none or undecodable). */
  body(): Buffer;
  /** Offsets in `body()` where each raw piece's decoded bytes end. */
  boundaries(): number[];
  /** Complete CRLF-terminated lines so far, empty ones included. */
  lines(): string[];
  /** Non-empty complete lines. */
  records(): string[];
  /** Resolves once `predicate()` holds (checked on every piece), rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** How the response ended: cleanly, or cut off (socket destroyed, aborted). */
  closed: Promise<'end' | 'aborted'>;
  close(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const raw: Buffer[] = [];
      const waiters = new Set<() => void>();
      const decode = (pieces: Buffer[]) => {
        const all = Buffer.concat(pieces);
        const encoding = res.headers['content-encoding'];
        const options = { finishFlush: constants.Z_SYNC_FLUSH };
        try {
          if (encoding === 'gzip') return gunzipSync(all, options);
          if (encoding === 'deflate') return inflateSync(all, options);
        } catch {
          return all;
        }
        return all;
      };
      let resolveClosed: (how: 'end' | 'aborted') => void = () => undefined;
      const closed = new Promise<'end' | 'aborted'>((r) => (resolveClosed = r));
      res.on('data', (chunk: Buffer) => {
        raw.push(chunk);
        for (const waiter of waiters) waiter();
      });
      res.on('end', () => resolveClosed('end'));
      res.on('aborted', () => resolveClosed('aborted'));
      res.on('error', () => resolveClosed('aborted'));
      res.on('close', () => {
        resolveClosed(res.complete ? 'end' : 'aborted');
        for (const waiter of waiters) waiter();
      });
      const lines = () => {
        const text = decode(raw).toString('utf8');
        const parts = text.split('\r\n');
        parts.pop();
        return parts;
      };
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        raw,
        body: () => decode(raw),
        boundaries: () => raw.map((_, i) => decode(raw.slice(0, i + 1)).length),
        lines,
        records: () => lines().filter((line) => line !== ''),
        closed,
        close: () => req.destroy(),
        waitFor(predicate, timeoutMs = 5000) {
          return new Promise<void>((done, fail) => {
            const check = () => {
              let ok: boolean;
              try {
                ok = predicate();
              } catch {
                ok = false;
              }
              if (!ok) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`waitFor: condition not met within ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      });
    });
    req.end();
  });
}

/** One request, whole answer (for token calls and refusals). */
export function fetchText(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.end(init.body);
  });
}

/** A token from the simulator's endpoint. */
export async function fetchToken(sim: { tokenUrl: string; clientId: string; clientSecret: string }): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    scope: 'openid,AdobeID,read_organizations,additional_info.projectedProductContext',
  }).toString();
  const answer = await fetchText(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${answer.text}`);
  return (JSON.parse(answer.text) as { access_token: string }).access_token;
}
