/* eslint-disable no-var -- ambient globals are declared as `var`, as lib.dom.d.ts does. */

/**
 * The host platform the core may rely on: what Node and browsers both provide, declared here so
 * `tsconfig.core.json` can type-check the core with neither Node's nor the DOM's types. Anything
 * not declared here (Buffer, `node:*`, `window`, `document`) is a compile error in the core.
 * Only `tsconfig.core.json` includes this file; the Node and web projects see the full types.
 */

declare function setTimeout(handler: () => void, timeout?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare function queueMicrotask(callback: () => void): void;

interface URLSearchParams {
  get(name: string): string | null;
  set(name: string, value: string): void;
  has(name: string): boolean;
  delete(name: string): void;
  keys(): IterableIterator<string>;
  toString(): string;
}
declare var URLSearchParams: {
  new (init?: string | Record<string, string> | [string, string][]): URLSearchParams;
};

interface URL {
  href: string;
  origin: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  readonly searchParams: URLSearchParams;
  toString(): string;
}
declare var URL: { new (url: string | URL, base?: string | URL): URL };

interface TextDecoder {
  decode(input?: Uint8Array): string;
}
declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder };
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { new (): TextEncoder };

interface AbortSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare var AbortSignal: { timeout(ms: number): AbortSignal };
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { new (): AbortController };

type ReadableStreamReadResult<T> = { done: true; value?: undefined } | { done: false; value: T };
interface ReadableStreamDefaultReader<T> {
  read(): Promise<ReadableStreamReadResult<T>>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}
interface ReadableStream<R> {
  getReader(): ReadableStreamDefaultReader<R>;
}
interface Headers {
  get(name: string): string | null;
}
interface Response {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
}
interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  redirect?: 'follow' | 'error' | 'manual';
  signal?: AbortSignal;
}
declare function fetch(input: string, init?: RequestInit): Promise<Response>;

/** Base64 of a Latin-1 string (HTTP Basic credentials). */
declare function btoa(data: string): string;
