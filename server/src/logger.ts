import { pino, type Logger } from 'pino';

/** The one logger: pino, structured, to standard error so that standard output stays for CLI output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { name: 'pigeonhole' } }, pino.destination({ fd: 2, sync: false }));
}
