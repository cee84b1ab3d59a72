/** Tag characters Mailpit keeps (`tools.CleanTag`); anything else is dropped. */
const TAG_JUNK = /[^a-zA-Z0-9\-_.\s/:]+/g;

/** Cleans tag names as Mailpit does, dropping empty ones and duplicates. */
export function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.replace(TAG_JUNK, '').replace(/\s+/g, ' ').trim()).filter(Boolean))];
}
