import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../config';

/** The beyond-capture options (relay, webhook, POP3, chaos) as config.ts validates them. */
describe('relay, webhook, POP3 and chaos options', () => {
  it('are all off by default', () => {
    expect(resolveConfig({})).toMatchObject({
      pop3: null,
      pop3Auth: null,
      smtpRelay: null,
      enableChaos: false,
      webhook: null,
    });
  });

  it('fill relay defaults: port 25, 465 with implicit TLS; regexes case-insensitive', () => {
    expect(resolveConfig({ smtpRelayHost: 'mx.test' }).smtpRelay).toMatchObject({
      host: 'mx.test',
      port: 25,
      tls: false,
    });
    const relay = resolveConfig({
      smtpRelayHost: 'mx.test',
      smtpRelayTls: true,
      smtpRelayAllowedRecipients: '@ok\\.test$',
    }).smtpRelay!;
    expect(relay.port).toBe(465);
    expect(relay.allowedRecipients!.test('A@OK.TEST')).toBe(true);
  });

  it('refuse contradictions and bad values with the option named', () => {
    const bad = (options: Parameters<typeof resolveConfig>[0], message: RegExp) =>
      expect(() => resolveConfig(options)).toThrow(message);
    bad({ smtpRelayAll: true }, /^--smtp-relay-all needs --smtp-relay-host$/);
    bad({ smtpRelayMatching: 'x' }, /--smtp-relay-matching needs --smtp-relay-host/);
    bad({ smtpRelayHost: 'h', smtpRelayTls: true, smtpRelayStarttls: true }, /exclude each other/);
    bad({ smtpRelayHost: 'h', smtpRelayPort: '70000' }, /--smtp-relay-port: expected 1 to 65535/);
    bad({ smtpRelayHost: 'h', smtpRelayMatching: '(' }, /--smtp-relay-matching: not a valid regular expression/);
    bad({ webhookUrl: 'javascript:alert(1)' }, /only http:\/\/ and https:\/\//);
    bad({ webhookUrl: 'http://h/', webhookBurst: 0 }, /--webhook-burst: must be at least 1/);
    bad({ pop3: 'nope' }, /--pop3: expected HOST:PORT/);
    bad({ pop3Auth: 'nocolon' }, /--pop3-auth: expected user:password pairs/);
    expect(() => resolveConfig({ webhookUrl: 'ftp://h/' })).toThrow(ConfigError);
  });

  it('parse the webhook rate and POP3 credentials', () => {
    const config = resolveConfig({
      webhookUrl: 'https://hooks.test/x',
      webhookLimit: '5',
      pop3: ':1110',
      pop3Auth: 'a:b c@d.test:e',
    });
    expect(config.webhook).toEqual({ url: new URL('https://hooks.test/x'), limit: 5, burst: 1 });
    expect(config.pop3).toEqual({ host: '127.0.0.1', port: 1110 });
    expect(config.pop3Auth).toEqual([
      { username: 'a', password: 'b' },
      { username: 'c@d.test', password: 'e' },
    ]);
  });
});
