import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { parseAddress, parseAddressList } from './compose';
import { base64Attachment, decodeBase64 } from './common-fields';
import { sesId, uuid } from './ids';
import { envelopeFromHeaders } from './raw-envelope';
import { providerRoute } from './route';
import { SES_AUTH_ERRORS, sesCredential } from './ses-auth';
import { flattenJson } from './transcript';
import { ProviderFailure, type MailSpec, type ProviderAnswer, type ProviderProfile, type RawSpec } from './types';

const Text = Type.Object({ Data: Type.String(), Charset: Type.Optional(Type.String()) });
const HeaderList = Type.Array(Type.Object({ Name: Type.String(), Value: Type.String() }));
const AttachmentList = Type.Array(
  Type.Object({
    RawContent: Type.String(),
    FileName: Type.String(),
    ContentType: Type.Optional(Type.String()),
    ContentDisposition: Type.Optional(Type.String()),
    ContentId: Type.Optional(Type.String()),
    ContentDescription: Type.Optional(Type.String()),
    ContentTransferEncoding: Type.Optional(Type.String()),
  }),
);

/** SES v2 `SendEmail`: Simple, Raw or Template content. */
export const SesV2BodySchema = Type.Object({
  FromEmailAddress: Type.Optional(Type.String()),
  Destination: Type.Optional(
    Type.Object({
      ToAddresses: Type.Optional(Type.Array(Type.String())),
      CcAddresses: Type.Optional(Type.Array(Type.String())),
      BccAddresses: Type.Optional(Type.Array(Type.String())),
    }),
  ),
  ReplyToAddresses: Type.Optional(Type.Array(Type.String())),
  Content: Type.Optional(
    Type.Object({
      Simple: Type.Optional(
        Type.Object({
          Subject: Type.Optional(Text),
          Body: Type.Optional(Type.Object({ Text: Type.Optional(Text), Html: Type.Optional(Text) })),
          Headers: Type.Optional(HeaderList),
          Attachments: Type.Optional(AttachmentList),
        }),
      ),
      Raw: Type.Optional(Type.Object({ Data: Type.String() })),
      Template: Type.Optional(
        Type.Object({
          TemplateName: Type.Optional(Type.String()),
          TemplateArn: Type.Optional(Type.String()),
          TemplateData: Type.Optional(Type.String()),
          TemplateContent: Type.Optional(Type.Unknown()),
          Headers: Type.Optional(HeaderList),
          Attachments: Type.Optional(AttachmentList),
        }),
      ),
    }),
  ),
  EmailTags: Type.Optional(Type.Array(Type.Object({ Name: Type.String(), Value: Type.String() }))),
  ConfigurationSetName: Type.Optional(Type.String()),
});
export type SesV2Body = Static<typeof SesV2BodySchema>;

/** An SES v2 (REST JSON) error: the type in `x-amzn-ErrorType`, which AWS SDKs throw as that exception. */
export function sesJsonError(status: number, type: string, message: string): ProviderAnswer {
  return { status, headers: { 'x-amzn-ErrorType': type }, body: { message } };
}

/** How SES v2 authenticates (Signature V4) and answers failures. */
export const sesV2Profile: ProviderProfile = {
  name: 'ses',
  credential: sesCredential,
  failure: (failure) => {
    switch (failure.kind) {
      case 'auth-missing':
        return sesJsonError(403, SES_AUTH_ERRORS.missing.type, SES_AUTH_ERRORS.missing.message);
      case 'auth-invalid':
        return sesJsonError(403, SES_AUTH_ERRORS.invalid.type, SES_AUTH_ERRORS.invalid.message);
      case 'bad-json':
      case 'bad-form':
        return sesJsonError(400, 'SerializationException', failure.message);
      case 'validation':
        return sesJsonError(400, 'BadRequestException', failure.message);
      case 'too-large':
        return sesJsonError(400, 'MessageRejected', failure.message);
      case 'forbidden':
        return sesJsonError(403, 'AccessDeniedException', failure.message);
      case 'rate-limit':
        return sesJsonError(429, 'TooManyRequestsException', 'Too Many Requests');
      case 'server-error':
        return sesJsonError(500, 'InternalFailure', 'Internal Failure');
    }
  },
  elide: (path) => path === 'Content.Raw.Data' || /Attachments\[\d+\]\.RawContent$/.test(path),
};

function list(values: string[] | undefined, field: string) {
  try {
    return parseAddressList(values, field);
  } catch {
    throw new ProviderFailure('validation', `Illegal address in ${field}`, field);
  }
}

/** The message an SES v2 request asks for: raw as given, or composed from Simple or Template content. */
export function sesV2Spec(body: SesV2Body, messageId: string): MailSpec | RawSpec {
  const content = body.Content;
  const d = body.Destination ?? {};
  if (content?.Raw) {
    const raw = decodeBase64(content.Raw.Data, 'Content.Raw.Data');
    const fromHeaders = envelopeFromHeaders(raw);
    const named = [...(d.ToAddresses ?? []), ...(d.CcAddresses ?? []), ...(d.BccAddresses ?? [])];
    const rcptTo = named.length > 0 ? list(named, 'Destination').map((a) => a.address) : fromHeaders.rcptTo;
    if (rcptTo.length === 0) throw new ProviderFailure('validation', 'Missing final destination', 'Destination');
    const mailFrom = body.FromEmailAddress
      ? parseAddress(body.FromEmailAddress, 'FromEmailAddress').address
      : fromHeaders.mailFrom;
    return { raw, mailFrom, rcptTo };
  }
  if (!body.FromEmailAddress)
    throw new ProviderFailure('validation', 'Missing required parameter: FromEmailAddress', 'FromEmailAddress');
  const simple = content?.Simple;
  const template = content?.Template;
  if (!simple && !template) throw new ProviderFailure('validation', 'Missing required parameter: Content', 'Content');
  const to = list(d.ToAddresses, 'ToAddresses');
  const cc = list(d.CcAddresses, 'CcAddresses');
  const bcc = list(d.BccAddresses, 'BccAddresses');
  if (to.length + cc.length + bcc.length === 0)
    throw new ProviderFailure('validation', 'Missing final destination', 'Destination');
  const part = simple ?? template!;
  const headers: Record<string, string> = {};
  for (const h of part.Headers ?? []) headers[h.Name] = h.Value;
  const spec: MailSpec = {
    from: parseAddress(body.FromEmailAddress, 'FromEmailAddress'),
    to,
    cc,
    bcc,
    replyTo: list(body.ReplyToAddresses, 'ReplyToAddresses'),
    subject: simple?.Subject?.Data ?? '',
    attachments: (part.Attachments ?? []).map((a, i) =>
      base64Attachment(
        {
          content: a.RawContent,
          filename: a.FileName,
          contentType: a.ContentType,
          cid: a.ContentDisposition?.toUpperCase() === 'INLINE' ? (a.ContentId ?? a.FileName) : undefined,
        },
        `Attachments.${i}`,
      ),
    ),
    headers,
    tags: (body.EmailTags ?? []).map((t) => (t.Value ? `${t.Name}:${t.Value}` : t.Name)),
    metadata: body.ConfigurationSetName ? { ConfigurationSetName: body.ConfigurationSetName } : {},
    providerId: messageId,
    messageIdDomain: 'email.amazonses.com',
  };
  if (simple?.Body?.Text) spec.text = simple.Body.Text.Data;
  if (simple?.Body?.Html) spec.html = simple.Body.Html.Data;
  if (template) {
    let data: unknown = template.TemplateData ?? template.TemplateContent ?? null;
    try {
      if (typeof data === 'string') data = JSON.parse(data);
    } catch {
      // Kept as the text it was.
    }
    spec.template = { id: template.TemplateName ?? template.TemplateArn ?? '(inline template)', data };
  }
  return spec;
}

/** SES v2's limit: 40 MB a message, base64 included. */
const BODY_LIMIT = 40 * 1024 * 1024;

/** Amazon SES v2 `POST /v2/email/outbound-emails`, answered `{ MessageId }`. */
export const sesV2Routes: FastifyPluginAsyncTypebox = async (app) => {
  const route = providerRoute(app, sesV2Profile, async (req: FastifyRequest) => {
    const body = req.body as SesV2Body;
    const messageId = sesId();
    return {
      specs: [sesV2Spec(body, messageId)],
      answer: { status: 200, headers: { 'x-amzn-requestid': uuid() }, body: { MessageId: messageId } },
      fields: flattenJson(body, sesV2Profile.elide),
    };
  });
  app.route({
    ...endpoint('sesV2SendEmail', 'POST'),
    ...route,
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Provider APIs'],
      summary: 'Amazon SES v2 SendEmail: Simple, Raw or Template content',
      body: SesV2BodySchema,
      response: { 200: Type.Object({ MessageId: Type.String() }), 400: Type.Object({ message: Type.String() }) },
    },
  });
};
