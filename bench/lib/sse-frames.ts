/**
 * A byte-level SSE reader for benchmark clients: splits a stream into `\n\n`-terminated blocks
 * without decoding the whole text, and reads a block's `event`, `id` and (single-line) `data`.
 * The relay writes every event as `event:`, optional `id:`, one `data:` line (JSON never holds a
 * raw line break), so one `data` line is all a frame carries; comments (`: keep-alive`) and
 * `retry:` blocks come out with no data.
 */

const NL = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = Buffer.from('data:');
const EVENT = Buffer.from('event:');
const ID = Buffer.from('id:');

export interface FrameHead {
  event: string;
  id: string | undefined;
  dataStart: number;
  dataEnd: number;
}

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > buf.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

function valueStart(buf: Buffer, at: number): number {
  return buf[at] === SPACE ? at + 1 : at;
}

/** Reads a block (without its final blank line); undefined when it carries no data. */
export function readFrame(block: Buffer): FrameHead | undefined {
  let event = 'message';
  let id: string | undefined;
  let pos = 0;
  while (pos < block.length) {
    let nl = block.indexOf(NL, pos);
    if (nl === -1) nl = block.length;
    if (block[pos] !== COLON) {
      if (startsWith(block, pos, DATA)) {
        return { event, id, dataStart: valueStart(block, pos + DATA.length), dataEnd: nl };
      }
      if (startsWith(block, pos, EVENT)) event = block.toString('latin1', valueStart(block, pos + EVENT.length), nl);
      else if (startsWith(block, pos, ID)) id = block.toString('latin1', valueStart(block, pos + ID.length), nl);
    }
    pos = nl + 1;
  }
  return undefined;
}

/** Keeps the unfinished tail between chunks and hands out complete blocks. */
export class BlockSplitter {
  private rest: Buffer | undefined;

  push(chunk: Buffer, onBlock: (block: Buffer) => void): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    let end: number;
    while ((end = buf.indexOf('\n\n', start)) !== -1) {
      onBlock(buf.subarray(start, end));
      start = end + 2;
    }
    this.rest = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
  }
}
