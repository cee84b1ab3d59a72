/** Joins the truthy class names: `cx('row', unread && 'row--unread')`. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}
