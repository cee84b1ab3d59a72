import { randomInt } from 'node:crypto';
import type {
  ChaosDelay,
  ChaosDisconnect,
  ChaosProviderApi,
  ChaosStage,
  ChaosTrigger,
  ChaosTriggers,
  ChaosTriggersBody,
} from '@pigeonhole/shared/schemas/chaos';
import type { ProviderName } from '@pigeonhole/shared/schemas/providers';
import { addressRule } from './rules';

/** The SMTP steps chaos can act on. */
export type ChaosStep = 'sender' | 'recipient' | 'auth' | 'data';

/** What chaos does to one step; `null` fields mean "not this time". */
export interface ChaosDecision {
  /** Wait this long before going on (0: no wait). */
  delayMs: number;
  /** Close the connection without a reply (after the delay). */
  disconnect: boolean;
  /** Answer this instead of going on. */
  fail: { code: number; message: string } | null;
}

/** A chaos setting that cannot be used, e.g. an error code outside 400-599. */
export class ChaosConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChaosConfigError';
  }
}

/** Defaults as in Mailpit's `chaos.SetFromStruct`: 451 for sender and recipient, 535 for AUTH. */
const DEFAULT_CODES = { Sender: 451, Recipient: 451, Authentication: 535, Data: 451 } as const;
const DEFAULT_DELAY_MS = 5000;
const STEP_STAGE: Partial<Record<ChaosStep, ChaosStage>> = { sender: 'mail', recipient: 'rcpt', data: 'data' };

/** Mailpit's reply texts, so that a log or an app's error message reads the same with either. */
const MESSAGES: Record<ChaosStep, string> = {
  sender: 'Chaos sender error',
  recipient: 'Chaos recipient error',
  auth: 'Chaos authentication error',
  data: 'Chaos data error',
};

interface State {
  Sender: ChaosTrigger;
  Recipient: ChaosTrigger;
  Authentication: ChaosTrigger;
  Data: ChaosTrigger;
  Delay: ChaosDelay;
  Disconnect: ChaosDisconnect;
  ProviderApi: ChaosProviderApi;
}

function trigger(name: keyof typeof DEFAULT_CODES, given: Partial<ChaosTrigger> | undefined): ChaosTrigger {
  const code = given?.ErrorCode || DEFAULT_CODES[name];
  if (code < 400 || code > 599) {
    throw new ChaosConfigError(`${name}: error code must be between 400 and 599, got ${code}`);
  }
  return { ErrorCode: code, Probability: given?.Probability ?? 0 };
}

function resolve(body: ChaosTriggersBody): State {
  return {
    Sender: trigger('Sender', body.Sender),
    Recipient: trigger('Recipient', body.Recipient),
    Authentication: trigger('Authentication', body.Authentication),
    Data: trigger('Data', body.Data),
    Delay: { Milliseconds: body.Delay?.Milliseconds ?? DEFAULT_DELAY_MS, Probability: body.Delay?.Probability ?? 0 },
    Disconnect: { Stage: body.Disconnect?.Stage ?? 'data', Probability: body.Disconnect?.Probability ?? 0 },
    ProviderApi: providerApi(body.ProviderApi),
  };
}

/** The provider-API trigger: 429 by default; only 429 and 500-599, the answers a provider gives. */
function providerApi(given: Partial<ChaosProviderApi> | undefined): ChaosProviderApi {
  const code = given?.ErrorCode || 429;
  if (code !== 429 && (code < 500 || code > 599)) {
    throw new ChaosConfigError(`ProviderApi: error code must be 429 or between 500 and 599, got ${code}`);
  }
  return { ErrorCode: code, Probability: given?.Probability ?? 0, Providers: [...new Set(given?.Providers ?? [])] };
}

/** A roll of the dice: 0-99, as Mailpit's `rand.Int(100)`, so 100 % always and 0 % never fires. */
export type Roll = () => number;

/**
 * Chaos engineering for the SMTP server (from Mailpit's `--enable-chaos`): triggers that fail MAIL,
 * RCPT, AUTH or DATA with a chosen code at a chosen probability, plus Pigeonhole's delay and
 * disconnect triggers and the per-address rules in `rules.ts`. Holds the settings and decides; the
 * SMTP wrapper carries the decision out.
 */
export class ChaosEngine {
  #state: State = resolve({});
  readonly #roll: Roll;

  constructor(roll: Roll = () => randomInt(100)) {
    this.#roll = roll;
  }

  /** The settings in force, in the `GET /api/v1/chaos` shape. */
  get triggers(): ChaosTriggers {
    const { Sender, Recipient, Authentication, Data, Delay, Disconnect, ProviderApi } = this.#state;
    const out: ChaosTriggers = {
      Sender: { ...Sender },
      Recipient: { ...Recipient },
      Authentication: { ...Authentication },
    };
    if (Data.Probability > 0) out.Data = { ...Data };
    if (Delay.Probability > 0) out.Delay = { ...Delay };
    if (Disconnect.Probability > 0) out.Disconnect = { ...Disconnect };
    if (ProviderApi.Probability > 0) out.ProviderApi = { ...ProviderApi, Providers: [...ProviderApi.Providers] };
    return out;
  }

  /** Replaces every setting; omitted triggers go back to 0 %. Throws {@link ChaosConfigError}. */
  set(body: ChaosTriggersBody): ChaosTriggers {
    this.#state = resolve(body);
    return this.triggers;
  }

  /**
   * Decides one step. `address` is the MAIL FROM or RCPT TO address; `recipients` the envelope
   * recipients at the end of DATA (for `fail-data-NNN@` rules).
   */
  decide(step: ChaosStep, address = '', recipients: readonly string[] = []): ChaosDecision {
    const state = this.#state;
    const stage = STEP_STAGE[step];
    const decision: ChaosDecision = { delayMs: 0, disconnect: false, fail: null };
    if (stage && this.#fires(state.Delay.Probability)) decision.delayMs = state.Delay.Milliseconds;
    if (stage && state.Disconnect.Stage === stage && this.#fires(state.Disconnect.Probability)) {
      decision.disconnect = true;
      return decision;
    }
    const rule = this.#rule(step, address, recipients);
    if (rule) {
      decision.fail = rule;
      return decision;
    }
    const configured = {
      sender: state.Sender,
      recipient: state.Recipient,
      auth: state.Authentication,
      data: state.Data,
    }[step];
    if (this.#fires(configured.Probability)) decision.fail = { code: configured.ErrorCode, message: MESSAGES[step] };
    return decision;
  }

  /**
   * Whether a provider API request fails this time: the HTTP status to answer (429 or 5xx), or null.
   * No delay or address rule applies to it: those are SMTP's.
   */
  decideProvider(provider: ProviderName): number | null {
    const { ProviderApi } = this.#state;
    if (ProviderApi.Providers.length > 0 && !ProviderApi.Providers.includes(provider)) return null;
    return this.#fires(ProviderApi.Probability) ? ProviderApi.ErrorCode : null;
  }

  #rule(step: ChaosStep, address: string, recipients: readonly string[]): ChaosDecision['fail'] {
    if (step === 'sender' || step === 'recipient') {
      const rule = addressRule(address);
      if (rule?.stage === 'address') return { code: rule.code, message: `Chaos rule: ${address} always fails` };
    }
    if (step === 'data') {
      for (const recipient of recipients) {
        const rule = addressRule(recipient);
        if (rule?.stage === 'data') return { code: rule.code, message: `Chaos rule: ${recipient} always fails` };
      }
    }
    return null;
  }

  #fires(probability: number): boolean {
    return probability > 0 && this.#roll() < probability;
  }
}
