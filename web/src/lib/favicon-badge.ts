/**
 * Draws the favicon with an unread badge, as an SVG data URL (the CSP allows `data:` images; no
 * canvas needed). Zero unread shows the plain icon.
 */
export function badgeFavicon(unread: number): string {
  const label = unread > 99 ? '99+' : String(unread);
  const badge =
    unread > 0
      ? `<circle cx="24" cy="9" r="${label.length > 2 ? 9 : 8}" fill="#e03131" stroke="#fff" stroke-width="1.5"/>` +
        `<text x="24" y="12.5" text-anchor="middle" font-family="Arial,sans-serif" font-weight="700" ` +
        `font-size="${label.length > 2 ? 7.5 : label.length > 1 ? 9 : 11}" fill="#fff">${label}</text>`
      : '';
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    '<rect x="2" y="5" width="28" height="22" rx="5" fill="#4c6ef5"/>' +
    '<path d="M6 11l10 7 10-7" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>' +
    badge +
    '</svg>';
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Puts the unread count in the page title and the favicon. */
export function showUnread(unread: number, base = 'Pigeonhole'): void {
  document.title = unread > 0 ? `(${unread.toLocaleString()}) ${base}` : base;
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  link.type = 'image/svg+xml';
  link.href = badgeFavicon(unread);
}
