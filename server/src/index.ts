/**
 * The `pigeonhole` package: start Pigeonhole in-process and talk to it with the typed client.
 *
 *     import { startPigeonhole, links } from 'pigeonhole';
 *
 *     const mail = await startPigeonhole(); // free ports on 127.0.0.1
 *     // point the app at 127.0.0.1:mail.smtpPort, then:
 *     const message = await mail.client.waitForMessage({ to: 'alice@example.test' });
 *     const [confirm] = links(message);
 *     await mail.stop();
 */
export { startPigeonhole, type Pigeonhole, type StartOptions } from './pigeonhole';
export { ConfigError, type Config, type PigeonholeOptions } from './config';
export {
  PigeonholeClient,
  PigeonholeHttpError,
  WaitTimeoutError,
  waitQuery,
  type ClientOptions,
  type PartContent,
  type SearchOptions,
  type WaitFilter,
  type WaitOptions,
  type SubscribeOptions,
  type Subscription,
} from '@pigeonhole/shared/client';
export { links, code, type CodeOptions, type MailContent } from '@pigeonhole/shared/mail-helpers';
export type { ApiEvent } from '@pigeonhole/shared/events';
export type { Address } from '@pigeonhole/shared/schemas/common';
export type { Info } from '@pigeonhole/shared/schemas/info';
export type {
  Attachment,
  Headers as MessageHeaders,
  Mailboxes,
  Message,
  Session,
} from '@pigeonhole/shared/schemas/message';
export type { MessageSummary, MessagesList } from '@pigeonhole/shared/schemas/messages';
export type { SendBody, SendResponse } from '@pigeonhole/shared/schemas/send';
