import type { Address } from '@pigeonhole/shared/schemas/common';

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** A byte count for people: `812 B`, `4.1 KB`, `12 MB`. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'narrow' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const exact = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/**
 * A short relative time for a list row: `now`, `4 min ago`, `3 h ago`, then the time of day for today
 * and the day for older mail.
 */
export function formatRelative(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return 'now';
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 12) return relative.format(hours, 'hour');
  const date = new Date(then);
  if (new Date(now).toDateString() === date.toDateString()) return timeOnly.format(date);
  return dayMonth.format(date);
}

/** The exact local time with seconds and zone, for a tooltip. */
export function formatExact(iso: string): string {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? iso : exact.format(new Date(then));
}

/** A readable medium date, for the message header. */
export function formatDate(iso: string): string {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? iso : fullDate.format(new Date(then));
}

/** `Name <address>` or the bare address. */
export function formatAddress(address: Address): string {
  return address.Name ? `${address.Name} <${address.Address}>` : address.Address;
}

/** The name, or the address when there is no name: for compact places such as a list row. */
export function displayName(address: Address | null | undefined): string {
  if (!address) return '';
  return address.Name || address.Address;
}

/** Comma-joined short names of a list of addresses. */
export function displayNames(addresses: readonly Address[]): string {
  return addresses.map((a) => displayName(a)).join(', ');
}
