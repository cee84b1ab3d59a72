// Mailpit's search syntax (server/src/search/query.ts), told the way an agent needs it in a
// tool's description: every filter once, with an example.

/** The search syntax, for tool and parameter descriptions. */
export const SEARCH_SYNTAX =
  "Query syntax (Mailpit's): every term must match. Plain words match the subject, addresses and body " +
  'text; "an exact phrase" in double quotes. Filters: to:, from:, cc:, bcc:, reply-to:, addressed: ' +
  '(any recipient, To/Cc/Bcc and the envelope), subject:, message-id:, tag:; is:read, is:unread, ' +
  'is:tagged; has:attachment, has:inline; larger:1M, smaller:500KB; after:2025-05-01, ' +
  'before:2025-05-01T13:30:00Z. A leading - or ! negates a term (-from:noreply@example.test). Values ' +
  'match by substring, case-insensitively; quote a value with spaces (subject:"reset your password"). ' +
  'Example: addressed:alice@example.test subject:welcome is:unread';
