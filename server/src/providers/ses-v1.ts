import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { parseAddress, parseAddressList } from './compose';
import { decodeBase64 } from './common-fields';
import { formFields, one, readForm, registerFormParsers, type Form } from './form';
import { sesId, uuid } from './ids';
import { envelopeFromHeaders } from './raw-envelope';
import { providerRoute } from './route';
import { SES_AUTH_ERRORS, sesCredential } from './ses-auth';
import { ProviderFailure, type MailSpec, type ProviderAnswer, type ProviderProfile, type RawSpec } from './types';

const NS = 'http://ses.amazonaws.com/doc/2010-12-01/';

function xmlText(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An SES Query API error: `<ErrorResponse>` with its `Code`, which AWS SDKs throw as that exception. */
export function sesXmlError(status: number, code: string, message: string, type = 'Sender'): ProviderAnswer {
  return {
    status,
    xml: true,
    body:
      `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${xmlText(message)}</Message></Error><RequestId>${uuid()}</RequestId></ErrorResponse>`,
  };
}

/** How the SES v1 Query API authenticates (Signature V4) and answers failures, as XML. */
export const sesV1Profile: ProviderProfile = {
  name: 'ses',
  credential: sesCredential,
  failure: (failure) => {
    switch (failure.kind) {
      case 'auth-missing':
        return sesXmlError(403, SES_AUTH_ERRORS.missing.type, SES_AUTH_ERRORS.missing.message);
      case 'auth-invalid':
        return sesXmlError(403, 'InvalidClientTokenId', SES_AUTH_ERRORS.invalid.message);
      case 'bad-json':
      case 'bad-form':
      case 'validation':
        return sesXmlError(
          400,
          failure.field === 'Action' ? 'InvalidAction' : 'InvalidParameterValue',
          failure.message,
        );
      case 'too-large':
        return sesXmlError(400, 'MessageRejected', failure.message);
      case 'forbidden':
        return sesXmlError(403, 'AccessDenied', failure.message);
      case 'rate-limit':
        return sesXmlError(400, 'Throttling', 'Maximum sending rate exceeded.');
      case 'server-error':
        return sesXmlError(500, 'InternalFailure', 'Internal Failure', 'Receiver');
    }
  },
  elide: (path) => path === 'RawMessage.Data',
};

/** The `.member.N` values of a Query API list, in order. */
function members(form: Form, prefix: string): string[] {
  return form.fields
    .map(([name, value]) => [/^(.*)\.member\.(\d+)$/.exec(name), value] as const)
    .filter(([m]) => m !== null && m[1] === prefix)
    .sort(([a], [b]) => Number(a![2]) - Number(b![2]))
    .map(([, value]) => value);
}

function addresses(values: string[], field: string) {
  try {
    return parseAddressList(values, field);
  } catch {
    throw new ProviderFailure('validation', `Illegal address in ${field}`, field);
  }
}

/** `SendEmail`: Source, Destination lists, Message subject and bodies, ReplyTo, Tags. */
function sendEmailSpec(form: Form, messageId: string): MailSpec {
  const source = one(form, 'Source');
  if (!source) throw new ProviderFailure('validation', 'Missing required header: Source', 'Source');
  const to = addresses(members(form, 'Destination.ToAddresses'), 'ToAddresses');
  const cc = addresses(members(form, 'Destination.CcAddresses'), 'CcAddresses');
  const bcc = addresses(members(form, 'Destination.BccAddresses'), 'BccAddresses');
  if (to.length + cc.length + bcc.length === 0)
    throw new ProviderFailure('validation', 'Missing final destination', 'Destination');
  const tags: string[] = [];
  for (let i = 1; one(form, `Tags.member.${i}.Name`) !== undefined; i++) {
    const value = one(form, `Tags.member.${i}.Value`);
    tags.push(value ? `${one(form, `Tags.member.${i}.Name`)}:${value}` : one(form, `Tags.member.${i}.Name`)!);
  }
  const spec: MailSpec = {
    from: parseAddress(source, 'Source'),
    to,
    cc,
    bcc,
    replyTo: addresses(members(form, 'ReplyToAddresses'), 'ReplyToAddresses'),
    subject: one(form, 'Message.Subject.Data') ?? '',
    attachments: [],
    headers: {},
    tags,
    metadata: {},
    providerId: messageId,
    messageIdDomain: 'email.amazonses.com',
  };
  const text = one(form, 'Message.Body.Text.Data');
  const html = one(form, 'Message.Body.Html.Data');
  if (text !== undefined) spec.text = text;
  if (html !== undefined) spec.html = html;
  return spec;
}

/** `SendRawEmail`: the base64 `RawMessage.Data`, to `Destinations` or the message's own headers. */
function sendRawSpec(form: Form): RawSpec {
  const data = one(form, 'RawMessage.Data');
  if (!data) throw new ProviderFailure('validation', 'Missing required header: RawMessage.Data', 'RawMessage.Data');
  const raw = decodeBase64(data, 'RawMessage.Data');
  const headers = envelopeFromHeaders(raw);
  const named = members(form, 'Destinations');
  const rcptTo = named.length > 0 ? addresses(named, 'Destinations').map((a) => a.address) : headers.rcptTo;
  if (rcptTo.length === 0) throw new ProviderFailure('validation', 'Missing final destination', 'Destinations');
  const source = one(form, 'Source');
  return { raw, mailFrom: source ? parseAddress(source, 'Source').address : headers.mailFrom, rcptTo };
}

/** SES v1's limit: 10 MB a message. */
const BODY_LIMIT = 10 * 1024 * 1024;

/** Amazon SES v1 Query API: `POST /` with `Action=SendEmail` or `Action=SendRawEmail`, answered in XML. */
export const sesV1Routes: FastifyPluginAsyncTypebox = async (app) => {
  await registerFormParsers(app, BODY_LIMIT);
  const route = providerRoute(app, sesV1Profile, async (req: FastifyRequest) => {
    const form = await readForm(req);
    const action = one(form, 'Action');
    if (action !== 'SendEmail' && action !== 'SendRawEmail') {
      throw new ProviderFailure(
        'validation',
        `Unsupported action ${action ?? '(none)'}: Pigeonhole answers SendEmail and SendRawEmail`,
        'Action',
      );
    }
    const messageId = sesId();
    const spec = action === 'SendEmail' ? sendEmailSpec(form, messageId) : sendRawSpec(form);
    const body =
      `<${action}Response xmlns="${NS}"><${action}Result><MessageId>${messageId}</MessageId></${action}Result>` +
      `<ResponseMetadata><RequestId>${uuid()}</RequestId></ResponseMetadata></${action}Response>`;
    return { specs: [spec], answer: { status: 200, xml: true, body }, fields: formFields(form) };
  });
  app.route({
    ...endpoint('sesQuery', 'POST'),
    ...route,
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Provider APIs'],
      summary: 'Amazon SES v1 Query API: SendEmail and SendRawEmail (form fields, XML answer)',
      consumes: ['application/x-www-form-urlencoded'],
      response: { 200: Type.String({ description: 'SendEmailResponse / SendRawEmailResponse XML' }) },
    },
  });
};
