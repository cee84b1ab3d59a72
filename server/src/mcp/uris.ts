// The `pigeonhole://` URIs of messages and their forms, made in one place (resources read them back).

/** `pigeonhole://message/{id}`, or one of its forms: `/raw`, `/html`, `/text`. */
export function messageUri(id: string, form?: 'raw' | 'html' | 'text'): string {
  return `pigeonhole://message/${encodeURIComponent(id)}${form ? `/${form}` : ''}`;
}

/** `pigeonhole://message/{id}/part/{partId}`: an attachment's bytes. */
export function partUri(id: string, partId: string): string {
  return `${messageUri(id)}/part/${encodeURIComponent(partId)}`;
}
