import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

/**
 * The relay's logger: pino, with credential paths redacted. JSON lines (one object a line, for a
 * log collector) unless a person is watching: on a terminal the lines are made readable by
 * pino-pretty. `LOG_FORMAT=json|pretty` overrides the choice either way.
 */

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** `LOG_FORMAT` when set; otherwise pretty on a terminal, JSON for a pipe, a file or a service manager. */
export function chooseLogFormat(override: LogFormat | undefined, isTTY: boolean | undefined): LogFormat {
  return override ?? (isTTY === true ? 'pretty' : 'json');
}

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  /** Where lines go. Default: standard output. */
  out?: { write(text: string): unknown };
  /** Pretty only: colours (default: when the terminal supports them, as pino-pretty decides). */
  colorize?: boolean;
}

const REDACT = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    '*.authorization',
    '*.password',
    '*.token',
    '*.clientSecret',
  ],
  censor: '****',
};

export function createLogger(options: LoggerOptions): Logger {
  const settings = { level: options.level, base: { service: 'livestream-monitor' }, redact: REDACT };
  const out = options.out ?? process.stdout;
  if (options.format === 'json') return options.out ? pino(settings, options.out) : pino(settings);
  // Prettified in this thread, line by line, and written at once: no worker thread, and nothing
  // lost when the process exits right after a line (shutdown).
  const prettify = prettyFactory({
    ...(options.colorize !== undefined ? { colorize: options.colorize } : {}),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    singleLine: true,
  });
  return pino(settings, { write: (line: string) => void out.write(prettify(line)) });
}
