import { join } from 'node:path';
import { chromium, type Browser, type CDPSession } from '@playwright/test';
import { spawnTracked } from './children.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.ts';
import { spaNeedsBuild } from '../../scripts/spa-build.ts';
import { ROOT } from './paths.ts';

/** Debian's Chromium, headless, with the project's flags (scripts/chromium.ts). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Builds the SPA when `dist/` is missing or older than its sources (the check `npm start` makes),
 * so that no suite measures a build. Returns whether it built.
 */
export async function ensureBuilt(): Promise<boolean> {
  if (!spaNeedsBuild(ROOT)) return false;
  const vite = spawnTracked(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: ROOT,
    logName: 'vite-build',
  });
  const { code } = await vite.exited;
  if (code !== 0) throw new Error(`vite build failed (${code}): ${vite.lines.slice(-10).join('\n')}`);
  return true;
}

/**
 * A CDP session on a target Playwright does not expose (a SharedWorker), through the browser
 * session's `Target.sendMessageToTarget`.
 */
export class TargetSession {
  private id = 0;
  private readonly pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();

  private constructor(
    private readonly browser: CDPSession,
    private readonly sessionId: string,
  ) {
    browser.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== this.sessionId) return;
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
    });
  }

  static async attach(browser: CDPSession, type: string): Promise<TargetSession | undefined> {
    const { targetInfos } = (await browser.send('Target.getTargets')) as unknown as {
      targetInfos: { targetId: string; type: string }[];
    };
    const target = targetInfos.find((t) => t.type === type);
    if (!target) return undefined;
    const { sessionId } = await browser.send('Target.attachToTarget', {
      targetId: target.targetId,
      flatten: false,
    });
    return new TargetSession(browser, sessionId);
  }

  call<T>(method: string, params: object = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      const id = ++this.id;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 30_000);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
        else resolve(message.result as T);
      });
      void this.browser.send('Target.sendMessageToTarget', {
        sessionId: this.sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    });
  }
}

/** Heap used after a full GC, in bytes. */
export async function heapAfterGc(call: (method: string) => Promise<unknown>): Promise<number> {
  await call('HeapProfiler.collectGarbage');
  const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number };
  return usage.usedSize;
}
