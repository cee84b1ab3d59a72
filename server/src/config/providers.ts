// The settings of the provider HTTP APIs (SendGrid, Mailgun, Postmark, Resend, Amazon SES).
import { isProviderName, PROVIDER_NAMES, type ProviderName } from '@pigeonhole/shared/schemas/providers';
import type { Config, PigeonholeOptions } from './types';
import { ConfigError } from './values';

/**
 * `--provider-apis none|all|sendgrid,mailgun,...` (default all) and `--provider-api-key KEY`. An
 * empty key is refused rather than read as "no key": a shell variable that expanded to nothing
 * would otherwise open the APIs the user meant to close.
 */
export function parseProviders(options: PigeonholeOptions): Pick<Config, 'providerApis' | 'providerApiKey'> {
  const given = (options.providerApis ?? 'all').trim().toLowerCase();
  let providerApis: ProviderName[];
  if (given === 'all' || given === '') providerApis = [...PROVIDER_NAMES];
  else if (given === 'none') providerApis = [];
  else {
    const names = given.split(/[\s,]+/).filter((n) => n.length > 0);
    for (const name of names) {
      if (!isProviderName(name)) {
        throw new ConfigError(
          `--provider-apis: unknown provider "${name}" (expected none, all, or some of ${PROVIDER_NAMES.join(', ')})`,
        );
      }
    }
    providerApis = PROVIDER_NAMES.filter((name) => names.includes(name));
  }
  const key = options.providerApiKey;
  if (key !== undefined && key.trim() === '') throw new ConfigError('--provider-api-key: the key is empty');
  return { providerApis, providerApiKey: key?.trim() ?? null };
}
