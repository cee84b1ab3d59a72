import { describe, expect, it } from 'vitest';
import { ChaosConfigError, ChaosEngine } from './engine';
import { addressRule } from './rules';

describe('chaos engine', () => {
  it('starts with Mailpit defaults, all off', () => {
    expect(new ChaosEngine().triggers).toEqual({
      Sender: { ErrorCode: 451, Probability: 0 },
      Recipient: { ErrorCode: 451, Probability: 0 },
      Authentication: { ErrorCode: 535, Probability: 0 },
    });
  });

  it('resets omitted triggers and fills default codes, as Mailpit does', () => {
    const engine = new ChaosEngine();
    engine.set({ Sender: { ErrorCode: 450, Probability: 50 }, Delay: { Probability: 10 } });
    expect(engine.set({ Recipient: { Probability: 5 } })).toEqual({
      Sender: { ErrorCode: 451, Probability: 0 },
      Recipient: { ErrorCode: 451, Probability: 5 },
      Authentication: { ErrorCode: 535, Probability: 0 },
    });
  });

  it('refuses codes outside 400-599', () => {
    expect(() => new ChaosEngine().set({ Sender: { ErrorCode: 250, Probability: 1 } })).toThrow(ChaosConfigError);
  });

  it('fires when the roll is below the probability (0-99 against 1-100)', () => {
    let roll = 49;
    const engine = new ChaosEngine(() => roll);
    engine.set({ Recipient: { ErrorCode: 452, Probability: 50 } });
    expect(engine.decide('recipient', 'x@y').fail).toEqual({ code: 452, message: 'Chaos recipient error' });
    roll = 50;
    expect(engine.decide('recipient', 'x@y').fail).toBeNull();
    expect(engine.decide('sender', 'x@y').fail).toBeNull();
  });

  it('disconnects at the chosen stage and delays every stage', () => {
    const engine = new ChaosEngine(() => 0);
    engine.set({ Disconnect: { Stage: 'rcpt', Probability: 100 }, Delay: { Milliseconds: 20, Probability: 100 } });
    expect(engine.decide('sender', 'a@b')).toEqual({ delayMs: 20, disconnect: false, fail: null });
    expect(engine.decide('recipient', 'a@b')).toEqual({ delayMs: 20, disconnect: true, fail: null });
    expect(engine.decide('auth')).toEqual({ delayMs: 0, disconnect: false, fail: null });
  });

  it('applies fail-NNN@ rules without any trigger set', () => {
    const engine = new ChaosEngine(() => 99);
    expect(engine.decide('recipient', 'fail-451@example.test').fail?.code).toBe(451);
    expect(engine.decide('sender', 'FAIL-550+x@example.test').fail?.code).toBe(550);
    expect(engine.decide('recipient', 'fail-data-554@example.test').fail).toBeNull();
    expect(engine.decide('data', '', ['ok@x', 'fail-data-554@example.test']).fail?.code).toBe(554);
  });
});

describe('address rules', () => {
  it('reads the code and stage from the local part only', () => {
    expect(addressRule('fail-421@x.test')).toEqual({ stage: 'address', code: 421 });
    expect(addressRule('fail-data-552.tag@x.test')).toEqual({ stage: 'data', code: 552 });
    expect(addressRule('fail-399@x.test')).toBeNull();
    expect(addressRule('fail-6000@x.test')).toBeNull();
    expect(addressRule('nofail-451@x.test')).toBeNull();
    expect(addressRule('someone@fail-451.test')).toBeNull();
  });
});

describe('provider API chaos', () => {
  it('answers the chosen status for the chosen providers only, 429 by default', () => {
    const engine = new ChaosEngine(() => 0);
    expect(engine.decideProvider('sendgrid')).toBeNull();
    engine.set({ ProviderApi: { Probability: 100, Providers: ['sendgrid'] } });
    expect(engine.decideProvider('sendgrid')).toBe(429);
    expect(engine.decideProvider('postmark')).toBeNull();
    engine.set({ ProviderApi: { ErrorCode: 503, Probability: 100 } });
    expect(engine.decideProvider('ses')).toBe(503);
    expect(engine.triggers.ProviderApi).toEqual({ ErrorCode: 503, Probability: 100, Providers: [] });
  });

  it('refuses codes a provider never answers with', () => {
    expect(() => new ChaosEngine().set({ ProviderApi: { ErrorCode: 451, Probability: 1 } })).toThrow(ChaosConfigError);
  });
});
