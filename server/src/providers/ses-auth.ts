/**
 * The access key ID of an AWS Signature V4 `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ses/aws4_request, ...`), or of the older
 * Signature V2/V3 forms SES's Query API took. `--provider-api-key` is compared with it: verifying
 * the signature itself would need the secret key on both sides (see docs/providers.md).
 */
export function sesCredential(headers: Record<string, string | string[] | undefined>): string | null {
  const header = String(headers.authorization ?? '');
  const v4 = /^AWS4-HMAC-SHA256[ \t]+Credential=([^/\s,]+)\//i.exec(header);
  if (v4) return v4[1]!;
  const v3 = /AWSAccessKeyId=([^,\s]+)/i.exec(String(headers['x-amzn-authorization'] ?? ''));
  return v3?.[1] ?? null;
}

/** SES's error answer for each kind of auth failure: the type name AWS SDKs turn into an exception. */
export const SES_AUTH_ERRORS = {
  missing: { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
  invalid: {
    type: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
  },
} as const;
