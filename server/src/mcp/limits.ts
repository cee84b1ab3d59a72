// Every size an agent can ask for is bounded: an agent's context is small, and a tool result is
// held whole in memory on both sides of the transport. The defaults keep one result to a few
// thousand tokens; the maxima keep a careless request from pulling megabytes.

/** Summaries a list or search returns by default, and at most. */
export const LIST_DEFAULT = 10;
export const LIST_MAX = 50;

/** Characters of a message's text (or HTML) returned by default, and at most. */
export const TEXT_DEFAULT_CHARS = 4000;
export const TEXT_MAX_CHARS = 100_000;

/** All headers of a message, as JSON, are cut at this many characters. */
export const HEADERS_MAX_CHARS = 20_000;

/**
 * Seconds a wait may last by default, and at most. Agent hosts time out a tool call themselves
 * (the SDK's client after 60 s unless told otherwise), and the server-side wait stops at 5 minutes.
 */
export const WAIT_DEFAULT_S = 30;
export const WAIT_MAX_S = 120;

/** Links returned at most, and characters of one link. */
export const LINKS_MAX = 100;
export const LINK_MAX_CHARS = 2000;

/** An attachment of a text type up to this many bytes is returned inline as text. */
export const INLINE_TEXT_MAX_BYTES = 64 * 1024;
/** An image attachment up to this many bytes is returned inline as an image. */
export const INLINE_IMAGE_MAX_BYTES = 512 * 1024;
/** A resource (raw source, a part as a blob) is refused beyond this many bytes. */
export const RESOURCE_MAX_BYTES = 8 * 1024 * 1024;

/** A test message's body, per part (text and HTML), in characters. */
export const SEND_BODY_MAX_CHARS = 100_000;
/** Recipients of one test message. */
export const SEND_RECIPIENTS_MAX = 20;

/** IDs one mark-read or delete call takes. */
export const IDS_MAX = 1000;

/** Messages listed as resources (`resources/list`). */
export const RESOURCE_LIST_MAX = 20;
