import type { Filter } from '../components/sidebar';

/** The heading of the list for a sidebar filter: the address, the tag, Unread or All mail. */
export function filterLabel(filter: Filter): string {
  return filter.kind === 'mailbox'
    ? filter.address
    : filter.kind === 'tag'
      ? `Tag: ${filter.tag}`
      : filter.kind === 'unread'
        ? 'Unread'
        : 'All mail';
}
