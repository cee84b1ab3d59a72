import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { parseAddress, parseAddressList } from './compose';
import { base64Attachment, stringRecord } from './common-fields';
import { uuid } from './ids';
import { providerRoute } from './route';
import { flattenJson } from './transcript';
import { ProviderFailure, type MailSpec, type ProviderProfile } from './types';

/** One Postmark message, as `POST /email` takes it and `POST /email/batch` takes a list of. */
export const PostmarkMessageSchema = Type.Object({
  From: Type.Optional(Type.String()),
  To: Type.Optional(Type.String()),
  Cc: Type.Optional(Type.String()),
  Bcc: Type.Optional(Type.String()),
  Subject: Type.Optional(Type.String()),
  Tag: Type.Optional(Type.String()),
  HtmlBody: Type.Optional(Type.String()),
  TextBody: Type.Optional(Type.String()),
  ReplyTo: Type.Optional(Type.String()),
  Headers: Type.Optional(Type.Array(Type.Object({ Name: Type.String(), Value: Type.String() }))),
  Metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  Attachments: Type.Optional(
    Type.Array(
      Type.Object({
        Name: Type.String(),
        Content: Type.String(),
        ContentType: Type.Optional(Type.String()),
        ContentID: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      }),
    ),
  ),
  MessageStream: Type.Optional(Type.String()),
  TrackOpens: Type.Optional(Type.Boolean()),
  TrackLinks: Type.Optional(Type.String()),
});
export type PostmarkMessage = Static<typeof PostmarkMessageSchema>;

const AnswerSchema = Type.Object({
  To: Type.Optional(Type.String()),
  SubmittedAt: Type.Optional(Type.String()),
  MessageID: Type.Optional(Type.String()),
  ErrorCode: Type.Integer(),
  Message: Type.String(),
});

/** Postmark's documented error codes (https://postmarkapp.com/developer/api/overview#error-codes). */
const CODES = { token: 10, invalidRequest: 300, invalidJson: 402, noRecipients: 300 } as const;

/** How Postmark authenticates (`X-Postmark-Server-Token`) and answers failures: `ErrorCode` and `Message`. */
export const postmarkProfile: ProviderProfile = {
  name: 'postmark',
  credential: (headers) => {
    const token = headers['x-postmark-server-token'];
    return typeof token === 'string' && token.trim() !== '' ? token.trim() : null;
  },
  failure: (failure) => {
    switch (failure.kind) {
      case 'auth-missing':
        return {
          status: 401,
          body: {
            ErrorCode: CODES.token,
            Message:
              'No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.',
          },
        };
      case 'auth-invalid':
        return {
          status: 401,
          body: {
            ErrorCode: CODES.token,
            Message: 'The Server Token you provided in the X-Postmark-Server-Token header was invalid.',
          },
        };
      case 'bad-json':
      case 'bad-form':
        return { status: 422, body: { ErrorCode: CODES.invalidJson, Message: 'Received invalid JSON input.' } };
      case 'validation':
        return { status: 422, body: { ErrorCode: CODES.invalidRequest, Message: failure.message } };
      case 'too-large':
        return {
          status: 413,
          body: { ErrorCode: CODES.invalidRequest, Message: `Request Entity Too Large. ${failure.message}` },
        };
      case 'forbidden':
        return { status: 403, body: { ErrorCode: CODES.invalidRequest, Message: failure.message } };
      case 'rate-limit':
        return { status: 429, body: { ErrorCode: 429, Message: 'Rate limit exceeded.' } };
      case 'server-error':
        return { status: 500, body: { ErrorCode: 500, Message: 'Internal Server Error' } };
    }
  },
  elide: (path) => /(?:^|\])\.?Attachments\[\d+\]\.Content$/.test(path),
};

/** The message a Postmark request asks for; its errors are Postmark's wording. */
export function postmarkSpec(m: PostmarkMessage, messageId: string): MailSpec {
  if (!m.From) throw new ProviderFailure('validation', "Invalid 'From' address: ''.", 'From');
  const list = (value: string | undefined, field: string) => {
    try {
      return parseAddressList(value, field);
    } catch {
      throw new ProviderFailure('validation', `Error parsing '${field}': Illegal email address '${value}'.`, field);
    }
  };
  const to = list(m.To, 'To');
  const cc = list(m.Cc, 'Cc');
  const bcc = list(m.Bcc, 'Bcc');
  if (to.length + cc.length + bcc.length === 0) {
    throw new ProviderFailure('validation', 'Zero recipients specified', 'To');
  }
  if (!m.TextBody && !m.HtmlBody) {
    throw new ProviderFailure('validation', 'Provide either email TextBody or HtmlBody or both.', 'TextBody');
  }
  let from;
  try {
    from = parseAddress(m.From, 'From');
  } catch {
    throw new ProviderFailure('validation', `Invalid 'From' address: '${m.From}'.`, 'From');
  }
  const headers: Record<string, string> = {};
  for (const h of m.Headers ?? []) headers[h.Name] = h.Value;
  const spec: MailSpec = {
    from,
    to,
    cc,
    bcc,
    replyTo: list(m.ReplyTo, 'ReplyTo'),
    subject: m.Subject ?? '',
    attachments: (m.Attachments ?? []).map((a, i) =>
      base64Attachment(
        // Postmark's ContentID is `cid:name`; the HTML refers to it the same way.
        {
          content: a.Content,
          filename: a.Name,
          contentType: a.ContentType,
          cid: a.ContentID?.replace(/^cid:/i, '') || undefined,
        },
        `Attachments.${i}`,
      ),
    ),
    headers,
    tags: m.Tag ? [m.Tag] : [],
    metadata: stringRecord(m.Metadata),
    providerId: messageId,
    messageIdDomain: 'postmark.pigeonhole.local',
  };
  if (m.TextBody) spec.text = m.TextBody;
  if (m.HtmlBody) spec.html = m.HtmlBody;
  return spec;
}

function accepted(m: PostmarkMessage, messageId: string) {
  return { To: m.To ?? '', SubmittedAt: new Date().toISOString(), MessageID: messageId, ErrorCode: 0, Message: 'OK' };
}

/** Postmark's documented limits: 10 MB a message, 50 MB and 500 messages a batch. */
const MESSAGE_LIMIT = 10 * 1024 * 1024;
const BATCH_LIMIT = 50 * 1024 * 1024;

/** Postmark `POST /email` and `POST /email/batch`. */
export const postmarkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const single = providerRoute(app, postmarkProfile, async (req: FastifyRequest) => {
    const body = req.body as PostmarkMessage;
    const messageId = uuid();
    return {
      specs: [postmarkSpec(body, messageId)],
      answer: { status: 200, body: accepted(body, messageId) },
      fields: flattenJson(body, postmarkProfile.elide),
    };
  });
  app.route({
    ...endpoint('postmarkEmail', 'POST'),
    ...single,
    bodyLimit: MESSAGE_LIMIT,
    schema: {
      tags: ['Provider APIs'],
      summary: 'Postmark: send one message',
      body: PostmarkMessageSchema,
      response: { 200: AnswerSchema, 401: AnswerSchema, 422: AnswerSchema },
    },
  });

  // A batch answers 200 with one result per message, as Postmark does: a bad message gets its own
  // ErrorCode there while the others are sent.
  const batch = providerRoute(app, postmarkProfile, async (req: FastifyRequest) => {
    const body = req.body as PostmarkMessage[];
    const specs: MailSpec[] = [];
    const results = body.map((m) => {
      const messageId = uuid();
      try {
        specs.push(postmarkSpec(m, messageId));
        return accepted(m, messageId);
      } catch (err) {
        if (!(err instanceof ProviderFailure)) throw err;
        return { ErrorCode: CODES.invalidRequest, Message: err.message };
      }
    });
    return { specs, answer: { status: 200, body: results }, fields: flattenJson(body, postmarkProfile.elide) };
  });
  app.route({
    ...endpoint('postmarkBatch', 'POST'),
    ...batch,
    bodyLimit: BATCH_LIMIT,
    schema: {
      tags: ['Provider APIs'],
      summary: 'Postmark: send up to 500 messages, one result each',
      body: Type.Array(PostmarkMessageSchema, { maxItems: 500 }),
      response: { 200: Type.Array(AnswerSchema), 401: AnswerSchema, 422: AnswerSchema },
    },
  });
};
