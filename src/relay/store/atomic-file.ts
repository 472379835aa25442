import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new content, never
 * a mix: write a temporary file beside it, fsync, rename over the old one, fsync the folder.
 * Throws when the disk refuses (full, read-only, the target became a folder), and then removes
 * its temporary file: failed writes never leave files behind.
 */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryName(path);
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // It was never created, or is already gone.
    }
    throw error;
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic.
  }
}

function temporaryName(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

/** Removes temporary files a crashed run (another pid) left beside `path`. Never throws. */
export function removeStaleTemporaries(path: string): void {
  const prefix = `${basename(path)}.`;
  try {
    for (const name of readdirSync(dirname(path))) {
      if (name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length))) {
        try {
          unlinkSync(join(dirname(path), name));
        } catch {
          // Not ours to remove, or already gone.
        }
      }
    }
  } catch {
    // No folder yet, or it cannot be listed: nothing to clean.
  }
}

/** What reading a state file gave. */
export type StateFileRead =
  | { kind: 'absent' }
  | { kind: 'text'; text: string; modifiedAt: number | undefined }
  | { kind: 'unreadable'; reason: string; modifiedAt: number | undefined };

/** State files are small; a bigger one is damage (and is never read whole). */
export const MAX_STATE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads a state file, telling "not there" (a first start) from "there but unreadable": not a
 * regular file (a folder, a device), larger than `maxBytes`, or refused by the system.
 */
export function readStateFile(path: string, maxBytes = MAX_STATE_FILE_BYTES): StateFileRead {
  let modifiedAt: number | undefined;
  try {
    const stat = statSync(path);
    modifiedAt = stat.mtimeMs;
    if (!stat.isFile()) return { kind: 'unreadable', reason: 'not a regular file (a folder or a device)', modifiedAt };
    if (stat.size > maxBytes) {
      return { kind: 'unreadable', reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`, modifiedAt };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
  }
  try {
    return { kind: 'text', text: readFileSync(path, 'utf8'), modifiedAt };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unreadable', reason: describeFsError(error), modifiedAt };
  }
}

/** An fs error in words: its code and message (paths, never contents). */
export function describeFsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
}
