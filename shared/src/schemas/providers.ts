import { Type, type Static } from 'typebox';

/**
 * The email APIs Pigeonhole answers at their own paths (`--provider-apis`). `ses` covers both of
 * Amazon SES's APIs: v2 (JSON) and the v1 Query API (form fields).
 */
export const PROVIDER_NAMES = ['sendgrid', 'mailgun', 'postmark', 'resend', 'ses'] as const;

export const ProviderNameSchema = Type.Union([
  Type.Literal('sendgrid'),
  Type.Literal('mailgun'),
  Type.Literal('postmark'),
  Type.Literal('resend'),
  Type.Literal('ses'),
]);
export type ProviderName = Static<typeof ProviderNameSchema> & (typeof PROVIDER_NAMES)[number];

/** Display names, for the UI and logs. */
export const PROVIDER_LABELS: Readonly<Record<ProviderName, string>> = {
  sendgrid: 'SendGrid',
  mailgun: 'Mailgun',
  postmark: 'Postmark',
  resend: 'Resend',
  ses: 'Amazon SES',
};

/** Whether a string names a provider. */
export function isProviderName(value: string): value is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(value);
}
