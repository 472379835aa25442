import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { chooseLogFormat, createLogger } from './logger.ts';

/** Collects what a logger writes. */
function sink() {
  const lines: string[] = [];
  return { lines, write: (text: string) => void lines.push(text) };
}

describe('the relay logger', () => {
  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    // A pipe, a file, a service manager: process.stdout.isTTY is undefined there.
    expect(chooseLogFormat(undefined, undefined)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });

  it('reads LOG_FORMAT once with the configuration, and refuses anything else in one line', () => {
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: ' Pretty ' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: '' }).logFormat).toBeUndefined();
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow(/^LOG_FORMAT: must be "json" or "pretty" \(got "yaml"\)$/);
  });

  it('writes one JSON object a line in json format, credentials redacted', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', format: 'json', out });
    logger.info({ shard: 0, upstream: { authorization: 'Bearer secret-token' } }, 'relay started');
    logger.debug('not at info');
    expect(out.lines).toHaveLength(1);
    const line = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: 'relay started', shard: 0, service: 'livestream-monitor' });
    expect(out.lines[0]).not.toContain('secret-token');
  });

  it('writes readable lines in pretty format: time, level, message, fields; credentials redacted', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', format: 'pretty', out, colorize: false });
    logger.info({ shard: 0, state: 'streaming', upstream: { authorization: 'Bearer secret-token' } }, 'shard state');
    logger.warn('cooldown below 60 s');
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]).toMatch(
      /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: shard state \{.*"shard":0.*"state":"streaming".*\}\n$/,
    );
    expect(out.lines[1]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: cooldown below 60 s\n$/);
    expect(out.lines.join('')).not.toContain('secret-token');
    expect(out.lines.join('')).not.toMatch(/^\{/m);
    // pid, hostname and the service name are noise on a terminal.
    expect(out.lines.join('')).not.toMatch(/livestream-monitor|hostname|pid/);
  });
});
