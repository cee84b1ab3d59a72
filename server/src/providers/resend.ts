import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { parseAddressList } from './compose';
import { base64Attachment, stringRecord } from './common-fields';
import { uuid } from './ids';
import { providerRoute } from './route';
import { flattenJson } from './transcript';
import { ProviderFailure, type MailSpec, type ProviderProfile } from './types';

const Addresses = Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 50 })]);

/** One Resend email, as `POST /emails` takes it and `POST /emails/batch` takes up to 100 of. */
export const ResendEmailSchema = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Addresses),
  cc: Type.Optional(Addresses),
  bcc: Type.Optional(Addresses),
  reply_to: Type.Optional(Addresses),
  subject: Type.Optional(Type.String()),
  html: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
  headers: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  attachments: Type.Optional(
    Type.Array(
      Type.Object({
        content: Type.Optional(Type.String()),
        filename: Type.Optional(Type.String()),
        path: Type.Optional(Type.String()),
        content_type: Type.Optional(Type.String()),
        content_id: Type.Optional(Type.String()),
      }),
    ),
  ),
  tags: Type.Optional(Type.Array(Type.Object({ name: Type.String(), value: Type.String() }))),
  template: Type.Optional(Type.Object({ id: Type.String(), variables: Type.Optional(Type.Unknown()) })),
  scheduled_at: Type.Optional(Type.String()),
});
export type ResendEmail = Static<typeof ResendEmailSchema>;

const ErrorSchema = Type.Object({ statusCode: Type.Integer(), name: Type.String(), message: Type.String() });

/** How Resend authenticates (`Authorization: Bearer re_...`) and answers failures: `{ statusCode, name, message }`. */
export const resendProfile: ProviderProfile = {
  name: 'resend',
  credential: (headers) => /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(String(headers.authorization ?? ''))?.[1] ?? null,
  failure: (failure) => {
    const error = (statusCode: number, name: string, message: string) => ({
      status: statusCode,
      body: { statusCode, name, message },
    });
    switch (failure.kind) {
      case 'auth-missing':
        return error(401, 'missing_api_key', 'Missing API key in the authorization header');
      case 'auth-invalid':
        return error(403, 'invalid_api_key', 'API key is invalid');
      case 'bad-json':
      case 'bad-form':
        return error(400, 'validation_error', 'Invalid JSON in the request body');
      case 'validation':
        return error(422, failure.field === 'missing' ? 'missing_required_field' : 'validation_error', failure.message);
      case 'too-large':
        return error(413, 'validation_error', failure.message);
      case 'forbidden':
        return error(403, 'validation_error', failure.message);
      case 'rate-limit':
        return error(
          429,
          'rate_limit_exceeded',
          'Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.',
        );
      case 'server-error':
        return error(
          500,
          'application_error',
          'Internal server error. We are unable to process your request right now, please try again later.',
        );
    }
  },
  elide: (path) => /(?:^|\]\.)attachments\[\d+\]\.content$/.test(path),
};

/** The message a Resend email asks for; errors in Resend's words. */
export function resendSpec(e: ResendEmail, id: string): MailSpec {
  const missing = (name: string) => new ProviderFailure('validation', `Missing \`${name}\` field.`, 'missing');
  if (!e.from) throw missing('from');
  if (e.to === undefined || (Array.isArray(e.to) && e.to.length === 0)) throw missing('to');
  if (e.subject === undefined && !e.template) throw missing('subject');
  const list = (value: string | string[] | undefined, field: string) => {
    try {
      return parseAddressList(value, field);
    } catch {
      throw new ProviderFailure(
        'validation',
        `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
        field,
      );
    }
  };
  const from = list(e.from, 'from')[0]!;
  const spec: MailSpec = {
    from,
    to: list(e.to, 'to'),
    cc: list(e.cc, 'cc'),
    bcc: list(e.bcc, 'bcc'),
    replyTo: list(e.reply_to, 'reply_to'),
    subject: e.subject ?? '',
    attachments: (e.attachments ?? []).map((a, i) => {
      // A remote `path` would make Pigeonhole fetch a URL for the sender: never done, refused plainly.
      if (a.content === undefined) {
        throw new ProviderFailure(
          'validation',
          'Pigeonhole takes attachment `content` only, not a remote `path`.',
          `attachments.${i}`,
        );
      }
      return base64Attachment(
        { content: a.content, filename: a.filename, contentType: a.content_type, cid: a.content_id },
        `attachments.${i}`,
      );
    }),
    headers: stringRecord(e.headers),
    tags: (e.tags ?? []).map((t) => (t.value ? `${t.name}:${t.value}` : t.name)),
    metadata: {},
    providerId: id,
    messageIdDomain: 'resend.pigeonhole.local',
  };
  if (e.text !== undefined) spec.text = e.text;
  if (e.html !== undefined) spec.html = e.html;
  if (e.template) spec.template = { id: e.template.id, data: e.template.variables ?? null };
  return spec;
}

/** Resend's documented limit: 40 MB a message after base64. */
const BODY_LIMIT = 40 * 1024 * 1024;

/** Resend `POST /emails` (answers `{ id }`) and `POST /emails/batch` (answers `{ data: [{ id }] }`, all or none). */
export const resendRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const single = providerRoute(app, resendProfile, async (req: FastifyRequest) => {
    const body = req.body as ResendEmail;
    const id = uuid();
    return {
      specs: [resendSpec(body, id)],
      answer: { status: 200, body: { id } },
      fields: flattenJson(body, resendProfile.elide),
    };
  });
  app.route({
    ...endpoint('resendEmails', 'POST'),
    ...single,
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Provider APIs'],
      summary: 'Resend: send one email',
      body: ResendEmailSchema,
      response: { 200: Type.Object({ id: Type.String() }), 401: ErrorSchema, 403: ErrorSchema, 422: ErrorSchema },
    },
  });

  const batch = providerRoute(app, resendProfile, async (req: FastifyRequest) => {
    const body = req.body as ResendEmail[];
    const ids = body.map(() => uuid());
    return {
      specs: body.map((e, i) => resendSpec(e, ids[i]!)),
      answer: { status: 200, body: { data: ids.map((id) => ({ id })) } },
      fields: flattenJson(body, resendProfile.elide),
    };
  });
  app.route({
    ...endpoint('resendBatch', 'POST'),
    ...batch,
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Provider APIs'],
      summary: 'Resend: send up to 100 emails; one bad email refuses the batch',
      body: Type.Array(ResendEmailSchema, { maxItems: 100 }),
      response: {
        200: Type.Object({ data: Type.Array(Type.Object({ id: Type.String() })) }),
        401: ErrorSchema,
        422: ErrorSchema,
      },
    },
  });
};
