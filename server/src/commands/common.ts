import { ConfigError } from '../config';

/** A command failed in a way the user can act on; `exitCode` is what the process exits with. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/**
 * Wraps a command's action: a {@link CommandError} or a bad option prints `pigeonhole NAME: message`
 * on standard error and sets the exit code (2 for a bad option); anything else is a bug and keeps
 * its stack.
 */
export function action<A extends unknown[]>(name: string, run: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await run(...args);
    } catch (err) {
      if (err instanceof CommandError || err instanceof ConfigError) {
        process.stderr.write(`pigeonhole ${name}: ${err.message}\n`);
        process.exitCode = err instanceof CommandError ? err.exitCode : 2;
        return;
      }
      throw err;
    }
  };
}

/** Collects a repeatable option, splitting comma lists: `--to a@x --to b@x,c@x`. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** Collects a repeatable option as is: `--attach a.pdf --attach b.png`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Reads all of standard input. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
