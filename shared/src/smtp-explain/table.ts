/**
 * What each SMTP command, parameter, extension and reply code means, with the RFC that defines it:
 * the data the session tab and `GET /api/v1/message/{ID}/session` annotate each transcript line
 * with. Only data here; `explain.ts` looks lines up in it without regular expressions.
 */

/** An RFC, by number, and the section that says it. */
export interface RfcRef {
  /** 0 for a vendor extension that no RFC defines. */
  rfc: number;
  section?: string;
}

/** One entry of the tables: a sentence for a developer and where it comes from. */
export interface ExplainEntry extends RfcRef {
  text: string;
}

const e = (text: string, rfc: number, section?: string): ExplainEntry =>
  section === undefined ? { text, rfc } : { text, rfc, section };

/** The link to an RFC (and section) at the RFC Editor. */
export function rfcUrl(ref: RfcRef): string {
  if (ref.rfc === 0) return '';
  const base = `https://www.rfc-editor.org/rfc/rfc${ref.rfc}`;
  return ref.section ? `${base}#section-${ref.section}` : base;
}

/** Commands a client sends, by upper-case verb. */
export const COMMANDS: Readonly<Record<string, ExplainEntry>> = {
  EHLO: e(
    'Extended hello: the client names itself and asks which ESMTP extensions the server offers; the reply lists them, one per line.',
    5321,
    '4.1.1.1',
  ),
  HELO: e('Plain hello: the client names itself; no extensions are offered or used after HELO.', 5321, '4.1.1.1'),
  LHLO: e('LMTP hello: like EHLO, for local delivery.', 2033, '4.1'),
  'MAIL FROM': e(
    'Starts a transaction: the envelope sender (the return path bounces go to), which may differ from the From header. Empty (<>) for bounces.',
    5321,
    '4.1.1.2',
  ),
  'RCPT TO': e('One envelope recipient. Bcc recipients exist only here: no header names them.', 5321, '4.1.1.3'),
  DATA: e('The message (headers and body) follows, ended by a line with a single dot.', 5321, '4.1.1.4'),
  BDAT: e(
    'CHUNKING: the message follows as a chunk of exactly the given size, no dot ending; LAST marks the final chunk.',
    3030,
    '2',
  ),
  RSET: e(
    'Aborts the current transaction: sender and recipients so far are forgotten, the connection stays.',
    5321,
    '4.1.1.5',
  ),
  NOOP: e('Does nothing; the server answers 250. Keeps an idle connection alive or checks it.', 5321, '4.1.1.9'),
  QUIT: e('The client is done; the server answers 221 and closes the connection.', 5321, '4.1.1.10'),
  VRFY: e(
    'Asks whether a mailbox exists. Servers usually answer 252 (cannot verify) so as not to leak addresses.',
    5321,
    '4.1.1.6',
  ),
  EXPN: e('Asks for the members of a mailing list; usually refused.', 5321, '4.1.1.7'),
  HELP: e('Asks the server for help text.', 5321, '4.1.1.8'),
  STARTTLS: e(
    'Upgrades this connection to TLS; after the 220 reply both sides handshake, and the client must say EHLO again.',
    3207,
    '4',
  ),
  AUTH: e(
    'SMTP authentication with the named SASL mechanism. Pigeonhole masks the secrets in the transcript.',
    4954,
    '4',
  ),
  XCLIENT: e('Postfix extension: a trusted proxy passes on the real client’s facts.', 0),
};

/** SASL mechanisms named after AUTH (and in the EHLO AUTH line). */
export const AUTH_MECHANISMS: Readonly<Record<string, ExplainEntry>> = {
  PLAIN: e('PLAIN: user name and password sent together, base64-encoded (not encrypted): only safe over TLS.', 4616),
  LOGIN: e(
    'LOGIN: user name, then password, each base64-encoded (not encrypted); an old, undocumented but common mechanism.',
    4954,
  ),
  'CRAM-MD5': e(
    'CRAM-MD5: the server sends a challenge, the client answers with an HMAC-MD5 of it keyed by the password; the password itself is never sent.',
    2195,
  ),
  XOAUTH2: e('XOAUTH2: an OAuth 2.0 bearer token instead of a password (Google, Microsoft).', 7628),
  OAUTHBEARER: e('OAUTHBEARER: an OAuth 2.0 bearer token instead of a password.', 7628),
  'SCRAM-SHA-1': e('SCRAM: salted challenge-response; the password is never sent.', 5802),
  'SCRAM-SHA-256': e('SCRAM: salted challenge-response; the password is never sent.', 7677),
  EXTERNAL: e('EXTERNAL: the identity comes from outside SMTP, such as a TLS client certificate.', 4422),
  ANONYMOUS: e('ANONYMOUS: no credentials.', 4505),
};

/** Extensions a server offers in its EHLO reply, by upper-case keyword. */
export const EXTENSIONS: Readonly<Record<string, ExplainEntry>> = {
  PIPELINING: e('The client may send several commands (MAIL, RCPT, DATA) without waiting for each reply.', 2920),
  '8BITMIME': e('The server takes 8-bit message bodies (MAIL FROM ... BODY=8BITMIME) without re-encoding.', 6152),
  SMTPUTF8: e('The server takes UTF-8 in addresses and headers (internationalised email).', 6531),
  SIZE: e(
    'The largest message the server takes, in bytes; a client announces its size with MAIL FROM ... SIZE=n and gets 552 if over.',
    1870,
  ),
  STARTTLS: e('The client may upgrade the connection to TLS with the STARTTLS command.', 3207),
  AUTH: e('The server takes SMTP AUTH with the listed SASL mechanisms.', 4954),
  DSN: e('Delivery Status Notifications: the client may ask for delivery reports (NOTIFY, RET, ENVID, ORCPT).', 3461),
  ENHANCEDSTATUSCODES: e(
    'Replies carry an enhanced status code (class.subject.detail, like 2.1.0) after the reply code.',
    2034,
  ),
  CHUNKING: e('The client may send the message in BDAT chunks instead of DATA.', 3030),
  BINARYMIME: e('The server takes binary bodies (BODY=BINARYMIME), which need BDAT.', 3030),
  REQUIRETLS: e('The client may ask (MAIL FROM ... REQUIRETLS) that the message travel over TLS all the way.', 8689),
  XCLIENT: e('Postfix extension: a trusted proxy may pass on the real client’s address and name.', 0),
  XFORWARD: e('Postfix extension: a trusted proxy may forward the original client’s facts.', 0),
  HELP: e('The server answers HELP.', 5321, '4.1.1.8'),
  VRFY: e('The server answers VRFY.', 5321, '4.1.1.6'),
  ETRN: e('The client may ask the server to flush its queue for a domain.', 1985),
  DELIVERBY: e('The client may ask for delivery within a time limit.', 2852),
  MTRK: e('Message tracking may be requested.', 3885),
};

/** MAIL FROM parameters, by upper-case keyword. */
export const MAIL_PARAMS: Readonly<Record<string, ExplainEntry>> = {
  SIZE: e(
    'The size of the message the client is about to send, in bytes, so the server can refuse it before DATA.',
    1870,
    '6',
  ),
  BODY: e('How the body is encoded: 7BIT (plain ASCII), 8BITMIME (8-bit text) or BINARYMIME.', 6152, '2'),
  SMTPUTF8: e('This message uses UTF-8 in addresses or headers.', 6531, '3.4'),
  RET: e(
    'DSN: what a delivery report should carry back: FULL (the whole message) or HDRS (its headers only).',
    3461,
    '4.3',
  ),
  ENVID: e(
    'DSN: an envelope ID chosen by the sender, quoted in every delivery report so the sender can match it.',
    3461,
    '4.4',
  ),
  AUTH: e('The identity that submitted the message, passed on between servers (<> when unknown).', 4954, '5'),
  REQUIRETLS: e('The message must only travel over TLS with verified certificates.', 8689, '4.1'),
  'MT-PRIORITY': e('A priority for the message (-9 to 9).', 6710),
  BY: e('Deliver-by: a time limit for delivery.', 2852),
};

/** RCPT TO parameters, by upper-case keyword. */
export const RCPT_PARAMS: Readonly<Record<string, ExplainEntry>> = {
  NOTIFY: e(
    'DSN: when to send this recipient’s delivery report: NEVER, or any of SUCCESS, FAILURE, DELAY.',
    3461,
    '4.1',
  ),
  ORCPT: e(
    'DSN: the original recipient as the sender first addressed it (type;address), reported back in delivery reports.',
    3461,
    '4.2',
  ),
};

/** Reply codes, by number. */
export const REPLY_CODES: Readonly<Record<string, ExplainEntry>> = {
  '211': e('System status or help reply.', 5321, '4.2.3'),
  '214': e('Help message.', 5321, '4.2.3'),
  '220': e('Service ready: the greeting, or "go ahead" after STARTTLS.', 5321, '4.2.3'),
  '221': e('Service closing the connection (after QUIT).', 5321, '4.2.3'),
  '235': e('Authentication succeeded.', 4954, '6'),
  '250': e('Requested action okay, completed.', 5321, '4.2.3'),
  '251': e('User not local; the server will forward.', 5321, '4.2.3'),
  '252': e('Cannot verify the user, but the server will accept the message and try.', 5321, '4.2.3'),
  '334': e('Authentication continues: the server waits for the next (base64) piece of the exchange.', 4954, '4'),
  '354': e('Start mail input: send the message, end it with a line holding a single dot.', 5321, '4.2.3'),
  '421': e('Service not available, the connection is closing: try again later.', 5321, '4.2.3'),
  '432': e('A password transition is needed.', 4954, '6'),
  '450': e('Mailbox unavailable for now (busy, or greylisted): try again later.', 5321, '4.2.3'),
  '451': e('Local error in processing: try again later.', 5321, '4.2.3'),
  '452': e('Insufficient storage, or too many recipients: try again later.', 5321, '4.2.3'),
  '454': e('Temporary authentication failure, or TLS not available.', 4954, '6'),
  '455': e('The server cannot take these parameters now.', 5321, '4.2.3'),
  '500': e('Syntax error: command unrecognised, or the line is too long.', 5321, '4.2.3'),
  '501': e('Syntax error in parameters or arguments.', 5321, '4.2.3'),
  '502': e('Command not implemented.', 5321, '4.2.3'),
  '503': e('Bad sequence of commands (for example RCPT before MAIL, or DATA without recipients).', 5321, '4.2.3'),
  '504': e('Command parameter not implemented (for example an unknown AUTH mechanism).', 5321, '4.2.3'),
  '521': e('This host does not accept mail.', 7504),
  '523': e('The message is larger than the server takes.', 5248),
  '530': e('Authentication required (or STARTTLS first).', 4954, '6'),
  '534': e('The authentication mechanism is too weak.', 4954, '6'),
  '535': e('Authentication credentials invalid.', 4954, '6'),
  '538': e('Encryption required for the requested authentication mechanism: use STARTTLS first.', 4954, '6'),
  '550': e('Requested action not taken: mailbox unavailable or not allowed.', 5321, '4.2.3'),
  '551': e('User not local.', 5321, '4.2.3'),
  '552': e('Requested mail action aborted: exceeded storage allocation (the message is too large).', 5321, '4.2.3'),
  '553': e('Mailbox name not allowed (bad address syntax).', 5321, '4.2.3'),
  '554': e('Transaction failed (or, as a greeting, no SMTP service here).', 5321, '4.2.3'),
  '555': e('MAIL FROM or RCPT TO parameters not recognised or not implemented.', 5321, '4.2.3'),
};

/** What the first digit of a reply code says, for a code not in {@link REPLY_CODES}. */
export const REPLY_CLASSES: Readonly<Record<string, ExplainEntry>> = {
  '2': e('Positive completion: the action succeeded.', 5321, '4.2.1'),
  '3': e('Positive intermediate: the server waits for more.', 5321, '4.2.1'),
  '4': e('Transient failure: try again later.', 5321, '4.2.1'),
  '5': e('Permanent failure: do not retry as is.', 5321, '4.2.1'),
};

/** Enhanced status code classes (the first number). */
export const ENHANCED_CLASSES: Readonly<Record<string, string>> = {
  '2': 'Success',
  '4': 'Persistent transient failure',
  '5': 'Permanent failure',
};

/** Enhanced status code subjects (the second number). */
export const ENHANCED_SUBJECTS: Readonly<Record<string, string>> = {
  '0': 'other or undefined status',
  '1': 'addressing',
  '2': 'mailbox',
  '3': 'mail system',
  '4': 'network and routing',
  '5': 'mail delivery protocol',
  '6': 'message content or media',
  '7': 'security or policy',
};

/** Enhanced status code details, by `subject.detail` (RFC 3463 and the IANA registry). */
export const ENHANCED_DETAILS: Readonly<Record<string, string>> = {
  '0.0': 'other undefined status',
  '1.0': 'other address status',
  '1.1': 'bad destination mailbox address',
  '1.2': 'bad destination system address',
  '1.3': 'bad destination mailbox address syntax',
  '1.5': 'destination address valid',
  '1.6': 'destination mailbox has moved',
  '1.7': 'bad sender mailbox address syntax',
  '1.8': 'bad sender system address',
  '2.0': 'other or undefined mailbox status',
  '2.1': 'mailbox disabled, not accepting messages',
  '2.2': 'mailbox full',
  '2.3': 'message length exceeds administrative limit',
  '3.0': 'other or undefined mail system status',
  '3.1': 'mail system full',
  '3.4': 'message too big for system',
  '4.0': 'other or undefined network or routing status',
  '4.2': 'bad connection',
  '4.7': 'delivery time expired',
  '5.0': 'other or undefined protocol status',
  '5.1': 'invalid command',
  '5.2': 'syntax error',
  '5.3': 'too many recipients',
  '5.4': 'invalid command arguments',
  '6.0': 'other or undefined media error',
  '6.7': 'non-ASCII addresses not permitted for that sender or recipient',
  '7.0': 'other or undefined security status',
  '7.1': 'delivery not authorized, message refused',
  '7.8': 'authentication credentials invalid',
  '7.9': 'authentication mechanism is too weak',
  '7.11': 'encryption required for requested authentication mechanism',
};
