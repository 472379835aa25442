import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, createGzip } from 'node:zlib';
import { stringifyRecord } from '../../src/contract/index.ts';
import { createHitGenerator, createRandom, type Random } from '../../src/simulator/generator/index.ts';
import { OUT_DIR } from '../lib/paths.ts';

/**
 * The ingest suite's input: `count` realistic records from the simulator's generator (as a
 * 2,000 hits/s stream would carry them), CRLF-separated with an empty record now and then, gzip
 * compressed with a sync flush at uneven points as the simulator's StreamWriter does, then cut
 * into uneven socket reads (512 B – 64 KiB, log-uniform) that split records, deflate blocks and
 * UTF-8 characters anywhere. Built once per seed and count, cached under bench/out/corpus/.
 */

export interface Corpus {
  chunks: Buffer[];
  records: number;
  emptyRecords: number;
  rawBytes: number;
  gzBytes: number;
}

interface CorpusMeta {
  records: number;
  emptyRecords: number;
  rawBytes: number;
  gzBytes: number;
  chunkSizes: number[];
}

const START_MS = Date.UTC(2026, 10, 20, 18, 0, 0);

function logUniform(random: Random, min: number, max: number): number {
  return Math.round(Math.exp(Math.log(min) + random.next() * (Math.log(max) - Math.log(min))));
}

async function build(seed: number, count: number): Promise<{ meta: CorpusMeta; gz: Buffer }> {
  const generator = createHitGenerator({ seed });
  const random = createRandom(seed ^ 0x2c0ffee);
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const flush = () => new Promise<void>((resolve) => gzip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  let piece: string[] = [];
  let pieceBytes = 0;
  let target = logUniform(random, 200, 32_768);
  let rawBytes = 0;
  let emptyRecords = 0;
  for (let i = 0; i < count; i++) {
    if (random.chance(1 / 150)) {
      piece.push('\r\n');
      pieceBytes += 2;
      emptyRecords++;
    }
    const line = `${stringifyRecord(generator.next(START_MS + i / 2))}\r\n`;
    piece.push(line);
    pieceBytes += Buffer.byteLength(line);
    if (pieceBytes >= target || i === count - 1) {
      // Cut the text at an arbitrary byte, like the simulator's uneven flushes.
      const bytes = Buffer.from(piece.join(''), 'utf8');
      rawBytes += bytes.length;
      const cut = random.int(1, bytes.length);
      gzip.write(bytes.subarray(0, cut));
      await flush();
      if (cut < bytes.length) {
        gzip.write(bytes.subarray(cut));
        await flush();
      }
      piece = [];
      pieceBytes = 0;
      target = logUniform(random, 200, 32_768);
    }
  }
  await new Promise<void>((resolve) => gzip.end(() => resolve()));
  await new Promise<void>((resolve) => (gzip.readableEnded ? resolve() : gzip.once('end', () => resolve())));
  const gz = Buffer.concat(out);
  const chunkSizes: number[] = [];
  for (let at = 0; at < gz.length;) {
    const size = Math.min(gz.length - at, logUniform(random, 512, 65_536));
    chunkSizes.push(size);
    at += size;
  }
  return { meta: { records: count, emptyRecords, rawBytes, gzBytes: gz.length, chunkSizes }, gz };
}

/**
 * Bumped when the generator's records change shape (2: the 2026 records, ~1.5 KB with the mobile
 * device fields), so a corpus cached from an older generator is not measured again.
 */
const CORPUS_VERSION = 2;

export function corpusPath(seed: number, count: number): string {
  return join(OUT_DIR, 'corpus', `ingest-v${CORPUS_VERSION}-${seed}-${count}`);
}

/** Builds the corpus (or finds it cached) and returns its base path. */
export async function ensureCorpus(seed: number, count: number): Promise<string> {
  const base = corpusPath(seed, count);
  if (existsSync(`${base}.json`) && existsSync(`${base}.gz`)) return base;
  mkdirSync(join(OUT_DIR, 'corpus'), { recursive: true });
  const { meta, gz } = await build(seed, count);
  writeFileSync(`${base}.gz`, gz);
  writeFileSync(`${base}.json`, JSON.stringify(meta));
  return base;
}

export function loadCorpus(base: string): Corpus {
  const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as CorpusMeta;
  const gz = readFileSync(`${base}.gz`);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const size of meta.chunkSizes) {
    chunks.push(gz.subarray(at, at + size));
    at += size;
  }
  return {
    chunks,
    records: meta.records,
    emptyRecords: meta.emptyRecords,
    rawBytes: meta.rawBytes,
    gzBytes: meta.gzBytes,
  };
}
