// The DNS records tests publish for the verifier (PUT /api/v1/dns) and those of --dns-records FILE:
// one format, one validation, bounded.
import { DNS_LIMITS, type DnsRecords } from '@pigeonhole/shared/schemas/auth';

/** Records that break the format or its bounds; the message says which name and why. */
export class DnsRecordsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnsRecordsError';
  }
}

/** A DNS name as looked up: lower case, without the trailing dot of a fully qualified name. */
export function dnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** Letters, digits, `-`, `_` (as in `_dmarc` and `_domainkey`) and `*`, in dot-separated labels of 1 to 63. */
const LABEL = /^[a-z0-9_*](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Checks records in the JSON format (an object from a DNS name to an array of TXT strings) and
 * returns them with their names normalised. Throws {@link DnsRecordsError} naming the first fault.
 */
export function validateRecords(input: unknown): Map<string, string[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DnsRecordsError('expected a JSON object from DNS name to an array of TXT strings');
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > DNS_LIMITS.maxNames) {
    throw new DnsRecordsError(`${entries.length} names: at most ${DNS_LIMITS.maxNames}`);
  }
  const out = new Map<string, string[]>();
  for (const [raw, value] of entries) {
    const name = dnsName(raw);
    const shown = JSON.stringify(raw.slice(0, 80));
    if (name.length === 0 || name.length > DNS_LIMITS.maxNameLength || !name.split('.').every((l) => LABEL.test(l))) {
      throw new DnsRecordsError(
        `${shown}: not a DNS name (labels of letters, digits, - and _, at most 253 characters)`,
      );
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw new DnsRecordsError(`${shown}: expected an array of TXT strings`);
    }
    if (value.length > DNS_LIMITS.maxStrings) {
      throw new DnsRecordsError(`${shown}: ${value.length} TXT strings, at most ${DNS_LIMITS.maxStrings}`);
    }
    const long = value.find((v) => v.length > DNS_LIMITS.maxStringLength);
    if (long !== undefined) {
      throw new DnsRecordsError(
        `${shown}: a TXT string of ${long.length} characters, at most ${DNS_LIMITS.maxStringLength}`,
      );
    }
    out.set(name, [...(value as string[])]);
  }
  return out;
}

/**
 * The records set through the API: a `put` adds or replaces names and leaves the others, bounded by
 * {@link DNS_LIMITS}.maxNames. `generation` changes with every change, so that cached checks made
 * with other records are not served.
 */
export class DnsRecordStore {
  readonly #records = new Map<string, string[]>();
  #generation = 0;

  /** Increases with every change. */
  get generation(): number {
    return this.#generation;
  }

  /** The TXT strings of a name, if set. */
  get(name: string): string[] | undefined {
    return this.#records.get(dnsName(name));
  }

  /** Adds or replaces these names; throws {@link DnsRecordsError} when the store would be too full. */
  put(records: Map<string, string[]>): void {
    let added = 0;
    for (const name of records.keys()) if (!this.#records.has(name)) added++;
    if (this.#records.size + added > DNS_LIMITS.maxNames) {
      throw new DnsRecordsError(
        `the record store holds ${this.#records.size} names and takes at most ${DNS_LIMITS.maxNames}: ` +
          'DELETE /api/v1/dns first',
      );
    }
    for (const [name, strings] of records) this.#records.set(name, strings);
    this.#generation++;
  }

  /** Removes every record. */
  clear(): void {
    this.#records.clear();
    this.#generation++;
  }

  /** Every record, names sorted. */
  list(): DnsRecords {
    return Object.fromEntries([...this.#records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
