import { useCallback, useEffect, useState } from 'react';
import type { Filter } from '../features/mailboxes/components/sidebar';

/** Where the user is: the filter, the search text and the open message, all in the URL. */
export interface Route {
  filter: Filter;
  q: string;
  id: string | null;
}

function read(): Route {
  const params = new URLSearchParams(window.location.search);
  const mailbox = params.get('mailbox');
  const tag = params.get('tag');
  const filter: Filter = mailbox
    ? { kind: 'mailbox', address: mailbox }
    : tag
      ? { kind: 'tag', tag }
      : params.get('unread') === '1'
        ? { kind: 'unread' }
        : { kind: 'all' };
  return { filter, q: params.get('q') ?? '', id: params.get('id') };
}

/** The URL of a route: `/?mailbox=alice@example.test&q=invoice&id=…`. */
export function routeUrl(route: Route): string {
  const params = new URLSearchParams();
  if (route.filter.kind === 'mailbox') params.set('mailbox', route.filter.address);
  if (route.filter.kind === 'tag') params.set('tag', route.filter.tag);
  if (route.filter.kind === 'unread') params.set('unread', '1');
  if (route.q) params.set('q', route.q);
  if (route.id) params.set('id', route.id);
  const qs = params.toString();
  return `${window.location.pathname}${qs ? `?${qs}` : ''}`;
}

/**
 * The route, kept in the URL with the History API so that links, reloads and the back button
 * work. No router library: there is one page.
 */
export function useRoute(): [Route, (next: Route, options?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const onPop = () => setRoute(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const url = routeUrl(next);
    if (url !== `${window.location.pathname}${window.location.search}`) {
      if (options.replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    }
    setRoute(next);
  }, []);
  return [route, navigate];
}

/** Mailpit search syntax quotes a value with spaces. */
function quote(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}

/** The API query of a view: the filter's terms, then what the user typed. */
export function viewQuery(filter: Filter, q: string): string {
  const parts: string[] = [];
  if (filter.kind === 'unread') parts.push('is:unread');
  // `addressed:` matches To, Cc and Bcc: the mailbox holds everything delivered to that address.
  if (filter.kind === 'mailbox') parts.push(`addressed:${quote(filter.address)}`);
  if (filter.kind === 'tag') parts.push(`tag:${quote(filter.tag)}`);
  if (q.trim()) parts.push(q.trim());
  return parts.join(' ');
}
