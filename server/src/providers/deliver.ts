import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { ingest } from '../ingest';
import type { MessageStore } from '../store/store';
import { composeSpec, envelopeOf, tooLarge } from './compose';
import { httpTranscript, type RecordedRequest } from './transcript';
import { ProviderFailure, type MailSpec, type ProviderAnswer, type ProviderProfile, type RawSpec } from './types';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `--provider-api-key`: the credential the request presents, found the provider's way, must be the
 * key (compared in constant time). Without the flag any credential, or none, is accepted, as a
 * catcher should: an app's real key in its development settings must not stop its mail here.
 */
export function checkCredential(profile: ProviderProfile, req: FastifyRequest, key: string | null): void {
  if (key === null) return;
  const presented = profile.credential(req.headers);
  if (presented === null) throw new ProviderFailure('auth-missing', 'No API key was given');
  if (!timingSafeEqual(digest(presented), digest(key)))
    throw new ProviderFailure('auth-invalid', 'The API key is invalid');
}

/** The request as its transcript shows it, with these fields. */
export function recordRequest(req: FastifyRequest, fields: Array<[string, string]>): RecordedRequest {
  return { method: req.method, url: req.url, httpVersion: req.raw.httpVersion, headers: req.headers, fields };
}

/** The messages a provider request made and the answer it gets. */
export interface Delivery {
  specs: Array<MailSpec | RawSpec>;
  /** The answer, once every message is composed (so a refusal stores none). */
  answer: ProviderAnswer;
  /** The request's fields for the transcript. */
  fields: Array<[string, string]>;
}

/**
 * Composes every message of a request, then stores each through the ingest path SMTP mail takes,
 * with the envelope (Bcc in it only) and the HTTP exchange as its transcript. All are composed
 * before any is stored, so that a request refused for one bad message stores none.
 */
export async function deliver(
  store: MessageStore,
  config: Config,
  profile: ProviderProfile,
  req: FastifyRequest,
  delivery: Delivery,
  startedAt: number,
): Promise<string[]> {
  const raws: Buffer[] = [];
  const limit = config.maxMessageSize;
  for (const spec of delivery.specs) {
    if ('raw' in spec && limit > 0 && spec.raw.length > limit) throw tooLarge(spec.raw.length, limit);
    raws.push('raw' in spec ? spec.raw : await composeSpec(spec, limit));
  }
  const transcript = httpTranscript(
    recordRequest(req, delivery.fields),
    delivery.answer,
    startedAt,
    config.providerApiKey ? [config.providerApiKey] : [],
  );
  // With --storage each resolves once its message is durable; the success answer waits for all.
  const stored = delivery.specs.map((spec, i) =>
    ingest(store, {
      raw: raws[i]!,
      envelope: 'raw' in spec ? { mailFrom: spec.mailFrom, rcptTo: spec.rcptTo } : envelopeOf(spec),
      session: {
        clientAddress: req.ip,
        helo: '',
        secure: req.protocol === 'https',
        tls: null,
        username: '',
        transcript,
        via: profile.name,
      },
      created: new Date(),
    }, config.tagRules),
  );
  return Promise.all(stored);
}
