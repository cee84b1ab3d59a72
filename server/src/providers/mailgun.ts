import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { parseAddress, parseAddressList } from './compose';
import { all, formFields, one, readForm, registerFormParsers, type Form } from './form';
import { mailgunId } from './ids';
import { envelopeFromHeaders } from './raw-envelope';
import { providerRoute } from './route';
import { ProviderFailure, type MailSpec, type ProviderProfile, type RawSpec } from './types';

const DomainParamsSchema = Type.Object({ domain: Type.String({ maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' }) });
const AnswerSchema = Type.Object({ id: Type.String(), message: Type.String() });
const ErrorSchema = Type.Object({ message: Type.String() });

/** How Mailgun authenticates (basic auth, user `api`, the key as password) and answers failures. */
export const mailgunProfile: ProviderProfile = {
  name: 'mailgun',
  credential: (headers) => {
    const match = /^Basic[ \t]+([A-Za-z0-9+/=]{1,2048})[ \t]*$/i.exec(String(headers.authorization ?? ''));
    if (!match) return null;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? null : decoded.slice(colon + 1);
  },
  failure: (failure) => {
    switch (failure.kind) {
      // Mailgun answers a bad key with a plain-text "Forbidden" and 401.
      case 'auth-missing':
      case 'auth-invalid':
        return { status: 401, body: 'Forbidden', text: true };
      case 'bad-json':
      case 'bad-form':
      case 'validation':
        return { status: 400, body: { message: failure.message } };
      case 'too-large':
        return { status: 413, body: { message: `Request Entity Too Large: ${failure.message}` } };
      case 'forbidden':
        return { status: 403, body: { message: failure.message } };
      case 'rate-limit':
        return { status: 429, body: { message: 'Too many requests' } };
      case 'server-error':
        return { status: 500, body: { message: 'Internal Server Error' } };
    }
  },
  elide: () => false,
};

function addresses(form: Form, name: string): ReturnType<typeof parseAddressList> {
  try {
    return parseAddressList(all(form, name), name);
  } catch {
    throw new ProviderFailure('validation', `${name} parameter is not a valid address. please check documentation`);
  }
}

/** The message a Mailgun form asks for: `h:` headers, `o:tag` tags, `v:` variables, files. */
export function mailgunSpec(form: Form, domain: string, left: string): MailSpec {
  const from = one(form, 'from');
  if (!from) throw new ProviderFailure('validation', 'from parameter is missing');
  const to = addresses(form, 'to');
  if (to.length === 0) throw new ProviderFailure('validation', 'to parameter is missing');
  const text = one(form, 'text');
  const html = one(form, 'html');
  const template = one(form, 'template') ?? one(form, 't:template');
  if (text === undefined && html === undefined && template === undefined) {
    throw new ProviderFailure('validation', "Need at least one of 'text', 'html' or 'template' parameters specified");
  }
  let sender;
  try {
    sender = parseAddress(from, 'from');
  } catch {
    throw new ProviderFailure('validation', 'from parameter is not a valid address. please check documentation');
  }
  const headers: Record<string, string> = {};
  const metadata: Record<string, string> = {};
  let replyTo: MailSpec['replyTo'] = [];
  for (const [name, value] of form.fields) {
    if (name.startsWith('h:')) {
      const header = name.slice(2);
      if (header.toLowerCase() === 'reply-to') replyTo = parseAddressList(value, 'h:Reply-To');
      else headers[header] = value;
    } else if (name.startsWith('v:')) metadata[name.slice(2)] = value;
  }
  const spec: MailSpec = {
    from: sender,
    to,
    cc: addresses(form, 'cc'),
    bcc: addresses(form, 'bcc'),
    replyTo,
    subject: one(form, 'subject') ?? '',
    attachments: form.files
      .filter((f) => f.field === 'attachment' || f.field === 'inline')
      .map((f) => ({
        filename: f.filename,
        content: f.content,
        contentType: f.contentType,
        // Mailgun's inline images are referred to by file name: `<img src="cid:logo.png">`.
        ...(f.field === 'inline' ? { cid: f.filename } : {}),
      })),
    headers,
    tags: all(form, 'o:tag'),
    metadata,
    providerId: left,
    messageIdDomain: domain,
  };
  if (text !== undefined) spec.text = text;
  if (html !== undefined) spec.html = html;
  if (template !== undefined) {
    const variables = one(form, 't:variables') ?? one(form, 'h:X-Mailgun-Variables');
    let data: unknown = variables ?? null;
    try {
      if (variables) data = JSON.parse(variables);
    } catch {
      // Kept as the text it was.
    }
    spec.template = { id: template, data };
  }
  return spec;
}

/** The raw message of a `messages.mime` form: the `message` file, to the `to` recipients. */
export function mailgunMime(form: Form): RawSpec {
  const to = addresses(form, 'to');
  if (to.length === 0) throw new ProviderFailure('validation', 'to parameter is missing');
  const file = form.files.find((f) => f.field === 'message');
  const text = one(form, 'message');
  const raw = file?.content ?? (text !== undefined ? Buffer.from(text) : null);
  if (!raw) throw new ProviderFailure('validation', 'message parameter is missing');
  const { mailFrom } = envelopeFromHeaders(raw);
  return { raw, mailFrom, rcptTo: to.map((a) => a.address) };
}

/** Mailgun's documented limit: 25 MB a message. */
const MESSAGE_LIMIT = 25 * 1024 * 1024;

/** Mailgun `POST /v3/{domain}/messages` and `POST /v3/{domain}/messages.mime`, multipart or URL-encoded. */
export const mailgunRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await registerFormParsers(app, MESSAGE_LIMIT);
  const answer = (id: string) => ({ status: 200, body: { id, message: 'Queued. Thank you.' } });
  const schema = (summary: string) => ({
    tags: ['Provider APIs'],
    summary,
    consumes: ['multipart/form-data', 'application/x-www-form-urlencoded'],
    params: DomainParamsSchema,
    response: { 200: AnswerSchema, 400: ErrorSchema },
  });

  const messages = providerRoute(app, mailgunProfile, async (req: FastifyRequest) => {
    const { domain } = req.params as { domain: string };
    const form = await readForm(req);
    const { id, left } = mailgunId(domain);
    return { specs: [mailgunSpec(form, domain, left)], answer: answer(id), fields: formFields(form) };
  });
  app.route({
    ...endpoint('mailgunMessages', 'POST'),
    ...messages,
    bodyLimit: MESSAGE_LIMIT,
    schema: schema('Mailgun: send a message from form fields and files'),
  });

  const mime = providerRoute(app, mailgunProfile, async (req: FastifyRequest) => {
    const { domain } = req.params as { domain: string };
    const form = await readForm(req);
    const { id } = mailgunId(domain);
    return { specs: [mailgunMime(form)], answer: answer(id), fields: formFields(form) };
  });
  app.route({
    ...endpoint('mailgunMime', 'POST'),
    ...mime,
    bodyLimit: MESSAGE_LIMIT,
    schema: schema('Mailgun: send a MIME message as given'),
  });
};
