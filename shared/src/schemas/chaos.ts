import { Type, type Static } from 'typebox';
import { ProviderNameSchema } from './providers';

/**
 * One of Mailpit's chaos triggers: answer `ErrorCode` (400-599) with a `Probability` in percent.
 * An `ErrorCode` of 0 or none means the trigger's default (451, or 535 for authentication), as in
 * Mailpit's `chaos.SetFromStruct`.
 */
export const ChaosTriggerSchema = Type.Object({
  ErrorCode: Type.Integer({ minimum: 0, maximum: 599 }),
  Probability: Type.Integer({ minimum: 0, maximum: 100 }),
});
export type ChaosTrigger = Static<typeof ChaosTriggerSchema>;

/** Pigeonhole's delay trigger: wait `Milliseconds` before answering MAIL, RCPT and the end of DATA. */
export const ChaosDelaySchema = Type.Object({
  Milliseconds: Type.Integer({ minimum: 0, maximum: 120_000 }),
  Probability: Type.Integer({ minimum: 0, maximum: 100 }),
});
export type ChaosDelay = Static<typeof ChaosDelaySchema>;

/** Where the disconnect trigger drops the connection: at MAIL FROM, at RCPT TO, or after the DATA body. */
export const ChaosStageSchema = Type.Union([Type.Literal('mail'), Type.Literal('rcpt'), Type.Literal('data')]);
export type ChaosStage = Static<typeof ChaosStageSchema>;

/** Pigeonhole's disconnect trigger: close the socket without a reply at `Stage`. */
export const ChaosDisconnectSchema = Type.Object({
  Stage: ChaosStageSchema,
  Probability: Type.Integer({ minimum: 0, maximum: 100 }),
});
export type ChaosDisconnect = Static<typeof ChaosDisconnectSchema>;

/**
 * Pigeonhole's provider-API trigger: the provider HTTP APIs (SendGrid, Mailgun, Postmark, Resend,
 * SES) answer their own `ErrorCode` response (429 rate limit, or a 5xx) with a `Probability` in
 * percent, so that an app's retry logic can be tested. `Providers` limits it to some APIs; empty or
 * omitted means all.
 */
export const ChaosProviderApiSchema = Type.Object({
  ErrorCode: Type.Integer({ minimum: 0, maximum: 599 }),
  Probability: Type.Integer({ minimum: 0, maximum: 100 }),
  Providers: Type.Array(ProviderNameSchema, { maxItems: 10 }),
});
export type ChaosProviderApi = Static<typeof ChaosProviderApiSchema>;

/**
 * `GET/PUT /api/v1/chaos` answer: Mailpit's three triggers, always; Pigeonhole's `Data`, `Delay` and
 * `Disconnect` only while their probability is above 0, so that a Mailpit client comparing the answer
 * with what it sent (as `mailpit-api`'s own tests do) sees exactly its own keys.
 */
export const ChaosTriggersSchema = Type.Object({
  Sender: ChaosTriggerSchema,
  Recipient: ChaosTriggerSchema,
  Authentication: ChaosTriggerSchema,
  Data: Type.Optional(ChaosTriggerSchema),
  Delay: Type.Optional(ChaosDelaySchema),
  Disconnect: Type.Optional(ChaosDisconnectSchema),
  ProviderApi: Type.Optional(ChaosProviderApiSchema),
});
export type ChaosTriggers = Static<typeof ChaosTriggersSchema>;

/**
 * `PUT /api/v1/chaos` body, Mailpit's shape plus ours. Every trigger is optional: an omitted one is
 * reset to 0 % (Mailpit: "If any triggers are omitted from the request, then those are reset").
 * Within a trigger an omitted field takes its default (error code 451/535, probability 0).
 */
export const ChaosTriggersBodySchema = Type.Object({
  Sender: Type.Optional(Type.Partial(ChaosTriggerSchema)),
  Recipient: Type.Optional(Type.Partial(ChaosTriggerSchema)),
  Authentication: Type.Optional(Type.Partial(ChaosTriggerSchema)),
  Data: Type.Optional(Type.Partial(ChaosTriggerSchema)),
  Delay: Type.Optional(Type.Partial(ChaosDelaySchema)),
  Disconnect: Type.Optional(Type.Partial(ChaosDisconnectSchema)),
  ProviderApi: Type.Optional(Type.Partial(ChaosProviderApiSchema)),
});
export type ChaosTriggersBody = Static<typeof ChaosTriggersBodySchema>;
