/**
 * Reads whatever an upstream (Livestream, the token endpoint) sent with a failure and turns it
 * into `details` an operator can read: an Adobe error object (JSON or XML), an OAuth
 * `{error, error_description}`, an HTML page (text only, never markup), plain text, or nothing.
 */

/** Longest `details` we keep (docs/api.md, "Problem" and "Error catalogue"). */
export const MAX_DETAILS_LENGTH = 500;

export type ErrorBodyKind = 'adobe' | 'oauth' | 'json' | 'xml' | 'html' | 'text' | 'empty';

export interface UpstreamErrorBody {
  kind: ErrorBodyKind;
  /** Readable summary, at most 500 characters. */
  details: string;
  /** Fields an Adobe error object (or OAuth error) carried, when present. */
  code?: string;
  message?: string;
  action?: string;
  trace?: string;
  helpUrl?: string;
  status?: number;
}

/**
 * `text` cut to at most `max` characters (UTF-16 code units, default 500), the last one `…` when
 * it was cut; a surrogate pair is never split. A cut result owns its characters: V8 keeps a
 * slice of 13+ characters as a view of the whole original, so without `ownCharacters` a 1,024-
 * character page name would keep its megabyte-long record alive for as long as it is held.
 */
export function truncate(text: string, max = MAX_DETAILS_LENGTH): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  // A high surrogate at the cut would be half a character.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return ownCharacters(`${text.slice(0, end)}…`);
}

/** Any character: testing it flattens a string built from parts (see `ownCharacters`). */
const ANY = /[^]/;

/**
 * Returns `text` after making V8 copy a concatenation into one flat string of its own, which
 * releases the parts it was built from (and whatever those were slices of). Running a regex over
 * a concatenated string flattens it in place; a plain string is left as it is.
 */
export function ownCharacters(text: string): string {
  ANY.test(text);
  return text;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins the parts of an error object into one line: `code: message (details)`. */
function summarise(code?: string, message?: string, extra?: string): string {
  const head = [code, message].filter(Boolean).join(': ');
  return extra && extra !== message ? (head ? `${head} (${extra})` : extra) : head;
}

function fromAdobeObject(obj: Record<string, unknown>): UpstreamErrorBody | undefined {
  const code = asString(obj.code);
  const message = asString(obj.message);
  if (!code && !message) return undefined;
  const statusText = asString(obj.status);
  const status = statusText && /^\d{3}$/.test(statusText) ? Number(statusText) : undefined;
  const result: UpstreamErrorBody = {
    kind: 'adobe',
    details: truncate(collapse(summarise(code, message, asString(obj.details)))),
  };
  if (code) result.code = code;
  if (message) result.message = message;
  const action = asString(obj.action);
  if (action) result.action = action;
  const trace = asString(obj.trace);
  if (trace) result.trace = trace;
  const helpUrl = asString(obj.helpUrl);
  if (helpUrl) result.helpUrl = helpUrl;
  if (status) result.status = status;
  return result;
}

function fromJson(value: unknown): UpstreamErrorBody {
  if (isRecord(value)) {
    // Adobe error object: top-level `error` object, an `errors` list, or the fields at the top.
    const nested = isRecord(value.error) ? value.error : undefined;
    const listed = Array.isArray(value.errors) && isRecord(value.errors[0]) ? value.errors[0] : undefined;
    const adobe = fromAdobeObject(nested ?? listed ?? value);
    if (adobe) return adobe;
    // OAuth / IMS style: {error: "invalid_client", error_description: "..."}.
    const error = asString(value.error) ?? asString(value.error_code);
    const description = asString(value.error_description) ?? asString(value.error_message);
    if (error || description) {
      const result: UpstreamErrorBody = { kind: 'oauth', details: truncate(collapse(summarise(error, description))) };
      if (error) result.code = error;
      if (description) result.message = description;
      return result;
    }
  }
  return { kind: 'json', details: truncate(collapse(JSON.stringify(value))) };
}

function xmlField(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`, 'i').exec(xml);
  if (!match?.[1]) return undefined;
  return asString(decodeEntities(match[1].replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')));
}

function fromXml(xml: string): UpstreamErrorBody {
  const obj: Record<string, unknown> = {};
  for (const name of ['status', 'code', 'message', 'details', 'helpUrl', 'trace', 'action']) {
    obj[name] = xmlField(xml, name);
  }
  const adobe = fromAdobeObject(obj);
  if (adobe) return { ...adobe, kind: 'xml' };
  return { kind: 'xml', details: truncate(collapse(stripMarkup(xml))) };
}

function stripMarkup(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ');
  // Decoded text may contain angle brackets again; drop them so nothing reads as markup.
  return decodeEntities(text).replace(/[<>]/g, ' ');
}

function fromHtml(html: string): UpstreamErrorBody {
  const titleMatch = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = titleMatch?.[1] ? collapse(stripMarkup(titleMatch[1])) : '';
  let text = collapse(stripMarkup(html));
  if (title && text.startsWith(title)) text = text.slice(title.length).trim();
  const body = [title, text].filter(Boolean).join(' — ');
  return { kind: 'html', details: truncate(body ? `HTML page: ${body}` : 'HTML page with no text') };
}

/**
 * Normalises an upstream error body into readable `details` (≤ 500 characters, no markup),
 * keeping the fields of an Adobe error object when there is one. Never throws.
 */
export function normaliseErrorBody(body: string | null | undefined, contentType = ''): UpstreamErrorBody {
  const text = (body ?? '').replace(/^\uFEFF/, '').trim();
  if (!text) return { kind: 'empty', details: 'The response body was empty.' };
  const type = contentType.toLowerCase();
  if (type.includes('json') || /^[[{]/.test(text)) {
    try {
      return fromJson(JSON.parse(text));
    } catch {
      // Announced as JSON but is not: fall through and read it as text or markup.
    }
  }
  if (type.includes('html') || /^<!doctype html|^<html[\s>]/i.test(text) || /<body[\s>]/i.test(text)) {
    return fromHtml(text);
  }
  if (type.includes('xml') || text.startsWith('<')) return fromXml(text);
  return { kind: 'text', details: truncate(collapse(text)) };
}
