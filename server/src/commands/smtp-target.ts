import { Option, type Command } from 'commander';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { DEFAULTS, parseHostPort } from '../config';
import { CommandError } from './common';

/** Where and how the sending commands (`send`, `sendmail`, `ingest`) deliver. */
export interface SmtpTargetOptions {
  smtp: string;
  tls?: boolean;
  starttls?: boolean;
  auth?: string;
}

/**
 * Adds the SMTP target options shared by the sending commands. `--smtp` reads `PIGEONHOLE_SMTP`, the
 * variable the server listens on, so a shell (or container) set up for one is set up for both.
 */
export function addSmtpTargetOptions(command: Command, short = true): Command {
  return command
    .addOption(
      new Option(`${short ? '-S, ' : ''}--smtp <host:port>`, 'SMTP address of Pigeonhole')
        .env('PIGEONHOLE_SMTP')
        .default(DEFAULTS.smtp),
    )
    .addOption(new Option('--tls', 'implicit TLS (a Pigeonhole started with --smtp-require-tls)'))
    .addOption(new Option('--starttls', 'upgrade with STARTTLS before sending'))
    .addOption(new Option('--auth <user:pass>', 'authenticate (Pigeonhole accepts any unless --smtp-auth)'));
}

/** The nodemailer transport for these options; Pigeonhole's certificate is self-signed, so it is not verified. */
export function smtpTransport(options: SmtpTargetOptions, pool?: { maxConnections: number }): Transporter {
  const { host, port } = parseHostPort(options.smtp, 'smtp');
  const base: SMTPTransport.Options = {
    // A server bound to every interface is reached on loopback.
    host: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host,
    port,
    secure: options.tls === true,
    ignoreTLS: options.starttls !== true,
    requireTLS: options.starttls === true,
    tls: { rejectUnauthorized: false },
    connectionTimeout: 10_000,
  };
  if (options.auth) {
    const colon = options.auth.indexOf(':');
    if (colon < 1) throw new CommandError('--auth: expected user:password', 2);
    base.auth = { user: options.auth.slice(0, colon), pass: options.auth.slice(colon + 1) };
  }
  if (!pool) return nodemailer.createTransport(base);
  const pooled: SMTPPool.Options = { ...base, pool: true, maxConnections: pool.maxConnections, maxMessages: Infinity };
  return nodemailer.createTransport(pooled);
}

/** Turns a nodemailer error into a message that says what to do. */
export function describeSmtpError(err: unknown, options: SmtpTargetOptions): string {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  if (e.responseCode) return `the server answered ${e.response ?? e.responseCode}`;
  if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS') {
    return `cannot reach an SMTP server at ${options.smtp} (is Pigeonhole running? see --smtp): ${e.message ?? ''}`;
  }
  return e.message ?? String(err);
}
