import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { Type, type Static } from 'typebox';
import { checkAddress } from './compose';
import { base64Attachment, stringRecord } from './common-fields';
import { sendgridId } from './ids';
import { providerRoute } from './route';
import { flattenJson } from './transcript';
import { ProviderFailure, type MailAddress, type MailSpec, type ProviderProfile } from './types';

const EmailSchema = Type.Object({ email: Type.String(), name: Type.Optional(Type.String()) });

const PersonalizationSchema = Type.Object({
  to: Type.Optional(Type.Array(EmailSchema)),
  cc: Type.Optional(Type.Array(EmailSchema)),
  bcc: Type.Optional(Type.Array(EmailSchema)),
  from: Type.Optional(EmailSchema),
  subject: Type.Optional(Type.String()),
  headers: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  substitutions: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  dynamic_template_data: Type.Optional(Type.Unknown()),
  custom_args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  send_at: Type.Optional(Type.Integer()),
});

/** SendGrid v3 `POST /v3/mail/send`, the fields it documents (others are accepted and shown). */
export const SendGridBodySchema = Type.Object({
  personalizations: Type.Optional(Type.Array(PersonalizationSchema, { maxItems: 1000 })),
  from: Type.Optional(EmailSchema),
  reply_to: Type.Optional(EmailSchema),
  reply_to_list: Type.Optional(Type.Array(EmailSchema)),
  subject: Type.Optional(Type.String()),
  content: Type.Optional(Type.Array(Type.Object({ type: Type.String(), value: Type.String() }))),
  attachments: Type.Optional(
    Type.Array(
      Type.Object({
        content: Type.String(),
        filename: Type.String(),
        type: Type.Optional(Type.String()),
        disposition: Type.Optional(Type.String()),
        content_id: Type.Optional(Type.String()),
        // @sendgrid/mail 8 sends the attachment's content ID camel-cased, unlike every other field.
        contentId: Type.Optional(Type.String()),
      }),
    ),
  ),
  template_id: Type.Optional(Type.String()),
  headers: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  categories: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
  custom_args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  send_at: Type.Optional(Type.Integer()),
  batch_id: Type.Optional(Type.String()),
});
export type SendGridBody = Static<typeof SendGridBodySchema>;

const ErrorsSchema = Type.Object({
  errors: Type.Array(
    Type.Object({ message: Type.String(), field: Type.Union([Type.String(), Type.Null()]), help: Type.Unknown() }),
  ),
});

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';

/** SendGrid's error messages, word for word where its documentation gives them. */
const MESSAGES = {
  personalizations: 'The personalizations field is required and must have at least one personalization.',
  from: 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
  to: 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
  subject:
    'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
  content:
    'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
  address: 'Does not contain a valid address.',
};

/** How SendGrid authenticates (`Authorization: Bearer <key>`) and answers failures. */
export const sendgridProfile: ProviderProfile = {
  name: 'sendgrid',
  credential: (headers) => /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(String(headers.authorization ?? ''))?.[1] ?? null,
  failure: (failure) => {
    const error = (message: string, field: string | null = null, help: string | null = null) => ({
      errors: [{ message, field, help }],
    });
    switch (failure.kind) {
      case 'auth-missing':
      case 'auth-invalid':
        return { status: 401, body: error('The provided authorization grant is invalid, expired, or revoked') };
      case 'forbidden':
        return { status: 403, body: error(failure.message) };
      case 'too-large':
        return { status: 413, body: error('The request entity is too large. ' + failure.message) };
      case 'rate-limit':
        return { status: 429, body: error('too many requests') };
      case 'server-error':
        return { status: 500, body: error('Internal server error') };
      case 'bad-json':
      case 'bad-form':
        return { status: 400, body: error('Bad Request') };
      case 'validation':
        return {
          status: 400,
          body: error(failure.message, failure.field, failure.field ? `${HELP}#message.${failure.field}` : null),
        };
    }
  },
  elide: (path) => /^attachments\[\d+\]\.content$/.test(path),
};

function address(given: { email: string; name?: string | undefined }, field: string): MailAddress {
  try {
    return checkAddress({ address: given.email, name: given.name ?? '' }, field);
  } catch {
    throw new ProviderFailure('validation', MESSAGES.address, field);
  }
}

/** Replaces each substitution key with its value, as SendGrid's legacy substitutions do. */
function substitute(text: string | undefined, substitutions: Record<string, string>): string | undefined {
  if (text === undefined) return undefined;
  let out = text;
  for (const [key, value] of Object.entries(substitutions)) out = out.split(key).join(value);
  return out;
}

/** The messages of a SendGrid request: one per personalization, with its substitutions. */
export function sendgridSpecs(body: SendGridBody, messageId: string): MailSpec[] {
  const personalizations = body.personalizations ?? [];
  if (personalizations.length === 0)
    throw new ProviderFailure('validation', MESSAGES.personalizations, 'personalizations');
  if (!body.from?.email && personalizations.some((p) => !p.from?.email)) {
    throw new ProviderFailure('validation', MESSAGES.from, 'from.email');
  }
  const template = body.template_id;
  if (!template && !body.subject && personalizations.some((p) => !p.subject)) {
    throw new ProviderFailure('validation', MESSAGES.subject, 'subject');
  }
  const content = (body.content ?? []).filter((c) => c.value !== '');
  if (!template && content.length === 0) throw new ProviderFailure('validation', MESSAGES.content, 'content');
  const text = content.find((c) => c.type.toLowerCase() === 'text/plain')?.value;
  const html = content.find((c) => c.type.toLowerCase() === 'text/html')?.value;
  const attachments = (body.attachments ?? []).map((a, i) =>
    base64Attachment(
      {
        content: a.content,
        filename: a.filename,
        contentType: a.type,
        cid: a.disposition === 'inline' ? (a.content_id ?? a.contentId ?? a.filename) : undefined,
      },
      `attachments.${i}`,
    ),
  );
  const replyTo = [
    ...(body.reply_to ? [address(body.reply_to, 'reply_to.email')] : []),
    ...(body.reply_to_list ?? []).map((a, i) => address(a, `reply_to_list.${i}.email`)),
  ];
  return personalizations.map((p, i) => {
    const field = `personalizations.${i}`;
    const to = (p.to ?? []).map((a, j) => address(a, `${field}.to.${j}.email`));
    if (to.length === 0) throw new ProviderFailure('validation', MESSAGES.to, `${field}.to`);
    const substitutions = stringRecord(p.substitutions);
    const spec: MailSpec = {
      from: address((p.from ?? body.from)!, p.from ? `${field}.from.email` : 'from.email'),
      to,
      cc: (p.cc ?? []).map((a, j) => address(a, `${field}.cc.${j}.email`)),
      bcc: (p.bcc ?? []).map((a, j) => address(a, `${field}.bcc.${j}.email`)),
      replyTo,
      subject: substitute(p.subject ?? body.subject ?? '', substitutions)!,
      attachments,
      headers: { ...stringRecord(body.headers), ...stringRecord(p.headers) },
      tags: body.categories ?? [],
      metadata: { ...stringRecord(body.custom_args), ...stringRecord(p.custom_args) },
      // One X-Message-Id for the request, as SendGrid answers; the later messages add their index.
      providerId: i === 0 ? messageId : `${messageId}.${i}`,
      messageIdDomain: 'sendgrid.pigeonhole.local',
    };
    const t = substitute(text, substitutions);
    const h = substitute(html, substitutions);
    if (t !== undefined) spec.text = t;
    if (h !== undefined) spec.html = h;
    if (template) spec.template = { id: template, data: p.dynamic_template_data ?? p.substitutions ?? null };
    return spec;
  });
}

/** SendGrid's documented limit: 30 MB a request, attachments included. */
const BODY_LIMIT = 30 * 1024 * 1024;

/** SendGrid v3 Mail Send: `POST /v3/mail/send`, answered 202 with `X-Message-Id` and no body. */
export const sendgridRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const route = providerRoute(app, sendgridProfile, async (req) => {
    const messageId = sendgridId();
    const body = req.body as SendGridBody;
    return {
      specs: sendgridSpecs(body, messageId),
      answer: { status: 202, headers: { 'x-message-id': messageId }, body: '', text: true },
      fields: flattenJson(body, sendgridProfile.elide),
    };
  });
  app.route({
    ...endpoint('sendgridMailSend', 'POST'),
    ...route,
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Provider APIs'],
      summary: 'SendGrid v3 Mail Send: one message per personalization',
      body: SendGridBodySchema,
      response: { 400: ErrorsSchema, 401: ErrorsSchema, 413: ErrorsSchema },
    },
  });
};
