// The settings of message authentication checks: the DNS records file and offline DNS.
import { statSync } from 'node:fs';
import { DnsRecordsError, validateRecords } from '../auth/dns-records';
import type { Config, PigeonholeOptions } from './types';
import { ConfigError, MB, readText } from './values';

/** A records file larger than this is refused: 1,000 names of 16 long keys each is well under it. */
const DNS_RECORDS_FILE_MAX = 4 * MB;

/** `--dns-records FILE`: the JSON object of DNS names to TXT strings, read and checked once at start. */
export function parseDnsRecordsFile(path: string | undefined): Map<string, string[]> | null {
  if (!path) return null;
  let size = 0;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new ConfigError(`--dns-records: cannot read ${path}: ${(err as Error).message}`);
  }
  if (size > DNS_RECORDS_FILE_MAX) {
    throw new ConfigError(`--dns-records: ${path} is ${size} bytes, at most ${DNS_RECORDS_FILE_MAX}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readText(path, 'dns-records'));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`--dns-records: ${path} is not JSON: ${(err as Error).message}`);
  }
  try {
    return validateRecords(json);
  } catch (err) {
    if (err instanceof DnsRecordsError) throw new ConfigError(`--dns-records: ${path}: ${err.message}`);
    throw err;
  }
}

/** `--dns-records` and `--dns-offline`. */
export function parseAuthChecks(options: PigeonholeOptions): Pick<Config, 'dnsRecords' | 'dnsOffline'> {
  return { dnsRecords: parseDnsRecordsFile(options.dnsRecords), dnsOffline: options.dnsOffline ?? false };
}
