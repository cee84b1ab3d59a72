/**
 * The `pigeonhole` package: start Pigeonhole in-process and talk to it with the typed client.
 *
 *     const mail = await startPigeonhole();
 *     // point the app at 127.0.0.1:mail.smtpPort, then:
 *     const list = await mail.client.messages();
 *     await mail.stop();
 */
export { startPigeonhole, type Pigeonhole, type StartOptions } from './pigeonhole';
export { ConfigError, type Config, type PigeonholeOptions } from './config';
export { PigeonholeClient, PigeonholeHttpError, type ClientOptions } from '@pigeonhole/shared/client';
export type { MessageSummary, MessagesList } from '@pigeonhole/shared/schemas/messages';
export type { Address } from '@pigeonhole/shared/schemas/common';
