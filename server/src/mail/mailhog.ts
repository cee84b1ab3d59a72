import type { MailHogContent, MailHogMessage, MailHogPath } from '@pigeonhole/shared/schemas/mailhog';
import type { StoredMessage } from '../store/types';
import { mailhogTree, type MailHogPart } from './mime/mailhog-tree';

/** MailHog's `PathFromString`: `user@domain` split at the last `@`, no relays, no params. */
export function mailhogPath(address: string): MailHogPath {
  const clean = address.replace(/^<|>$/g, '');
  const at = clean.lastIndexOf('@');
  return {
    Relays: null,
    Mailbox: at === -1 ? clean : clean.slice(0, at),
    Domain: at === -1 ? '' : clean.slice(at + 1),
    Params: '',
  };
}

function materialize(raw: Buffer, part: MailHogPart): MailHogContent {
  return {
    Headers: part.Headers,
    Body: raw.toString('utf8', part.bodyStart, part.end),
    Size: part.Size,
    MIME: part.parts ? { Parts: part.parts.map((p) => materialize(raw, p)) } : null,
  };
}

/**
 * A stored message in MailHog's `data.Message` shape. `MIME` is null unless the message is
 * multipart, and bodies stay transfer-encoded, exactly as MailHog serves them.
 */
export function toMailHog(message: StoredMessage): MailHogMessage {
  return message.withRaw((raw) => mailHogOf(message, raw));
}

function mailHogOf(message: StoredMessage, raw: Buffer): MailHogMessage {
  const top = mailhogTree(raw);
  return {
    ID: message.id,
    From: message.envelope.mailFrom ? mailhogPath(message.envelope.mailFrom) : null,
    To: message.envelope.rcptTo.map(mailhogPath),
    Content: { Headers: top.Headers, Body: raw.toString('utf8', top.bodyStart, top.end), Size: raw.length, MIME: null },
    Created: message.summary.Created,
    MIME: top.parts ? { Parts: top.parts.map((p) => materialize(raw, p)) } : null,
    Raw: {
      From: message.envelope.mailFrom,
      To: message.envelope.rcptTo,
      Data: raw.toString('utf8'),
      Helo: message.session.helo,
    },
  };
}
