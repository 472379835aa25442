import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KeptAlertSchema, MemoryAlertStore, type KeptAlert } from '../../core/alerts/alert-book.ts';
import { WriteHealth, type WriteHooks } from '../../core/store/write-health.ts';
import { readStateFile, removeStaleTemporaries, writeFileAtomic } from './atomic-file.ts';

const FileSchema = z.object({ version: z.literal(1), alerts: z.array(KeptAlertSchema) });

/**
 * The alerts in `DATA_DIR/alerts.json` (firing ones and the last 24 h of resolved ones, a few KB),
 * replaced atomically on every change, so a restarted relay knows what it had already fired.
 *
 * Never throws: a file that cannot be read starts empty (`unreadable` says why: the relay may
 * then fire again what was firing, which beats staying silent); a write that fails keeps the
 * alerts in the process and is reported through `hooks` once per episode.
 */
export class FileAlertStore extends MemoryAlertStore {
  readonly path: string;
  readonly unreadable: string | undefined;
  private readonly health: WriteHealth;
  private readonly initial: KeptAlert[] = [];

  constructor(dataDir: string, options: { hooks?: WriteHooks } = {}) {
    super();
    this.path = join(dataDir, 'alerts.json');
    this.health = new WriteHealth('the alerts (alerts.json)', options.hooks);
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch {
      // Reported by the first write that fails.
    }
    removeStaleTemporaries(this.path);
    const read = readStateFile(this.path);
    if (read.kind === 'unreadable') this.unreadable = `${this.path}: ${read.reason}`;
    if (read.kind !== 'text') return;
    try {
      this.initial = FileSchema.parse(JSON.parse(read.text)).alerts;
    } catch (error) {
      this.unreadable = `${this.path}: it is not a valid alert file (${error instanceof SyntaxError ? 'not JSON' : 'unexpected content'})`;
    }
  }

  override load(): KeptAlert[] {
    return this.initial.length > 0 ? this.initial : super.load();
  }

  override save(alerts: readonly KeptAlert[]): void {
    super.save(alerts);
    this.initial.length = 0;
    try {
      writeFileAtomic(this.path, `${JSON.stringify({ version: 1, alerts })}\n`);
      this.health.succeeded();
    } catch (error) {
      this.health.failed(error);
    }
  }
}
