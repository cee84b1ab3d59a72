// The MCP server's settings: whether `/mcp` is served on the HTTP listener.
import type { Config, PigeonholeOptions } from './types';
import { ConfigError } from './values';

/** `--mcp on|off` (also `true`/`false`, and a boolean in-process). Default on. */
export function parseMcp(options: PigeonholeOptions): Pick<Config, 'mcp'> {
  const value = options.mcp ?? true;
  if (typeof value === 'boolean') return { mcp: value };
  const word = value.trim().toLowerCase();
  if (word === 'on' || word === 'true') return { mcp: true };
  if (word === 'off' || word === 'false') return { mcp: false };
  throw new ConfigError(`--mcp: expected on or off, got "${value.slice(0, 50)}"`);
}
