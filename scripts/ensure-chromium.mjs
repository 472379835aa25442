#!/usr/bin/env node
// Finds the Chromium the end-to-end tests drive (CHROMIUM_PATH, else Debian's /usr/bin/chromium).
// When it is missing and we run as root on Debian, installs Debian's package; otherwise stops
// with one line saying how. Prints the path it settled on.
import { accessSync, constants } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';

const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function usable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function version(path) {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return 'version unknown';
  }
}

if (!usable(candidate)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!process.env.CHROMIUM_PATH && isRoot && hasApt) {
    console.log('Chromium not found: installing Debian\'s "chromium" package (apt-get)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
    if (!install || install.status !== 0 || !usable(candidate)) {
      console.error(
        'Chromium could not be installed: run `apt-get update && apt-get install -y chromium` as root, or set CHROMIUM_PATH.',
      );
      process.exit(1);
    }
  } else {
    console.error(
      `Chromium not found at ${candidate}: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
    process.exit(1);
  }
}

console.log(`Chromium for e2e: ${candidate} (${version(candidate)})`);
