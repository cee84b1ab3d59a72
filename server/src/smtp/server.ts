import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { ChaosEngine, ChaosStep } from '../chaos/engine';
import { chaosGate } from '../chaos/gate';
import type { Config } from '../config';
import type { Metrics } from '../metrics/metrics';
import type { IncomingMessage, IncomingSession, PackedTranscript } from '../store/types';
import { authenticate, SmtpError } from './auth';
import { MessageCollector } from './collect';
import { dsnOf, mailFromDsnRefusal } from './dsn';
import { FloodGuard } from './flood';
import { SmtpServerAdapter } from './smtp-server-adapter';
import { selfSignedCertificate } from './tls';
import { TranscriptRecorder } from './transcript';

/**
 * Called once per message received in full; returns the ID it was stored under, or (with
 * `--storage`) a promise of it that resolves once the message is durable: the 250 waits for it.
 */
export type Deliver = (message: IncomingMessage) => string | Promise<string>;

/** A running SMTP listener. */
export interface SmtpListener {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops accepting, ends sessions, resolves when every socket is closed. */
  close(): Promise<void>;
}

interface SessionUser {
  username: string;
}

/**
 * The SMTP service on smtp-server: ESMTP with PIPELINING, 8BITMIME, SMTPUTF8, SIZE and
 * ENHANCEDSTATUSCODES; STARTTLS or implicit TLS; AUTH PLAIN, LOGIN and CRAM-MD5; size, recipient,
 * line and connection limits; and a transcript of each message's conversation. What it relies on of
 * smtp-server beyond its API is in smtp-server-adapter.ts, and nowhere else.
 */
export async function startSmtp(
  config: Config,
  logger: Logger,
  deliver: Deliver,
  chaos: ChaosEngine | null = null,
  metrics: Metrics | null = null,
): Promise<SmtpListener> {
  const tls = config.smtpTls ?? (await selfSignedCertificate());
  const transcripts = new TranscriptRecorder();
  const log = logger.child({ component: 'smtp' });
  const authRequired = config.smtpAuth !== null;
  // Made once the server exists; the logger above may be called before (smtp-server logs at start).
  let flood: FloodGuard | null = null;

  /**
   * Runs an SMTP step through chaos (--enable-chaos): `proceed` at once when chaos is off, the
   * default, without building the gate's input or closures; otherwise as server/src/chaos decides,
   * carried out on this connection.
   */
  const throughChaos = (
    step: ChaosStep,
    input: () => { address?: string; recipients?: readonly string[] },
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
    proceed: () => void = () => callback(),
  ): void => {
    if (!chaos) {
      proceed();
      return;
    }
    chaosGate(chaos, step, input(), {
      reply: (err) => callback(err),
      disconnect: () => smtp.destroySession(session.id),
      proceed,
      log: (event) => log.info({ cid: session.id, ...event }, 'chaos'),
    });
  };

  const smtp = new SmtpServerAdapter(
    {
      name: config.smtpHostname,
      banner: 'Pigeonhole ESMTP: every message caught, none delivered',
      secure: config.smtpRequireTls,
      key: tls.key,
      cert: tls.cert,
      hideSTARTTLS: !config.smtpStarttls || config.smtpRequireTls,
      hideENHANCEDSTATUSCODES: false,
      // Offer DSN (RFC 3461) so that an app's NOTIFY, RET, ENVID and ORCPT are parsed and recorded:
      // what it asked of delivery reports is shown with the message. None is ever sent.
      hideDSN: false,
      size: config.maxMessageSize,
      authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
      // Without --smtp-auth any login is accepted, and none is needed: an app configured with or
      // without auth just works. With it, MAIL, RCPT and DATA need a successful AUTH (530 before).
      authOptional: !authRequired,
      authRequiredMessage: 'Authentication required',
      // Required credentials are not sent in the clear: AUTH before STARTTLS gets smtp-server's 538, as
      // Mailpit refuses unless --smtp-auth-allow-insecure. CRAM-MD5 too, though it never sends the
      // password: its challenge and answer, captured, can be cracked offline, and every client that
      // speaks CRAM-MD5 speaks STARTTLS. Accepting any login, there is nothing to protect.
      allowInsecureAuth: !authRequired || config.smtpAuthAllowInsecure,
      disableReverseLookup: true,
      maxClients: config.smtpMaxConnections,
      maxRecipients: config.smtpMaxRecipients,
      maxCommandLength: config.smtpMaxLineLength,
      socketTimeout: config.smtpIdleTimeoutMs,
      closeTimeout: 2000,

      onAuth(auth, session, callback) {
        throughChaos(
          'auth',
          () => ({}),
          session,
          callback,
          () => {
            try {
              callback(null, { user: { username: authenticate(auth, config.smtpAuth) } satisfies SessionUser });
              metrics?.smtpAuth(auth.method, true);
            } catch (err) {
              metrics?.smtpAuth(auth.method, false);
              log.info({ user: auth.username, method: auth.method }, 'SMTP authentication refused');
              callback(err as Error);
            }
          },
        );
      },

      onMailFrom(address, session, callback) {
        const refused = mailFromDsnRefusal(address);
        if (refused) {
          log.info({ cid: session.id }, 'MAIL FROM refused: ENVID too long or not printable ASCII');
          callback(refused);
          return;
        }
        throughChaos('sender', () => ({ address: address.address }), session, callback);
      },

      onRcptTo(address, session, callback) {
        throughChaos('recipient', () => ({ address: address.address }), session, callback);
      },

      onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
        const collected = new MessageCollector(announcedSize(session));
        stream.on('data', (chunk: Buffer) => {
          // Past the limit keep reading (the client is still sending) but stop keeping.
          if (!stream.sizeExceeded) collected.push(chunk);
        });
        stream.on('error', (err: Error) => {
          log.info({ cid: session.id, err: err.message }, 'message dropped: client left during DATA');
        });
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            log.info({ cid: session.id, size: stream.byteLength }, 'message refused: over --max-message-size');
            callback(new SmtpError(`Message exceeds the maximum size of ${config.maxMessageSize} bytes`, 552));
            return;
          }
          const refuse = (err: unknown): void => {
            log.error({ cid: session.id, err }, 'message could not be stored');
            callback(new SmtpError('Local error in processing', 451));
          };
          const store = (): void => {
            const raw = collected.finish();
            try {
              const stored = deliver({
                raw,
                envelope: {
                  mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  rcptTo: session.envelope.rcptTo.map((r) => r.address),
                  ...withDsn(session),
                },
                session: sessionInfo(session, transcripts.transcript(session.id, raw.length)),
                created: new Date(),
              });
              if (typeof stored === 'string') callback(null, `Ok: queued as ${stored}`);
              else
                stored.then(
                  (id) => callback(null, `Ok: queued as ${id}`),
                  (err: unknown) => refuse(err),
                );
            } catch (err) {
              refuse(err);
            }
          };
          const recipients = () => ({ recipients: session.envelope.rcptTo.map((r) => r.address) });
          throughChaos('data', recipients, session, callback, store);
        });
      },

      // Only with --metrics: smtp-server's own default calls back at once all the same.
      ...(metrics
        ? {
            onSecure(_socket: unknown, _session: unknown, callback: (err?: Error | null) => void) {
              metrics.smtpTls();
              callback();
            },
          }
        : {}),

      onClose(session) {
        transcripts.forget(session.id);
        flood?.forget(session.id);
      },
    },
    {
      log,
      verbose: config.verbose,
      // smtp-server's log of each command and reply, AUTH secrets masked, is the transcript.
      line: (cid, direction, text) => {
        if (direction === 'client') flood?.touch(cid);
        else metrics?.smtpReply(text);
        transcripts.record(cid, direction, text);
      },
    },
  );

  smtp.server.on('error', (err) => log.warn({ err: err.message }, 'SMTP connection error'));
  flood = new FloodGuard(
    smtp,
    {
      maxConnections: config.smtpMaxConnections,
      idleTimeoutMs: config.smtpIdleTimeoutMs,
      hostname: config.smtpHostname,
      secure: config.smtpRequireTls,
    },
    log,
  );
  if (metrics) {
    metrics.watchSmtp(() => smtp.connectionCount);
    smtp.server.server.on('connection', (socket: Socket) => {
      metrics.smtpConnection();
      // Closed without ever reaching smtp-server: refused at the connection limit (FloodGuard).
      socket.once('close', () => {
        if (!smtp.wasServed(socket)) metrics.smtpRefused();
      });
    });
  }
  const port = await smtp.listen(config.smtp.port, config.smtp.host);

  return {
    port,
    close: () => {
      flood?.stop();
      return smtp.close();
    },
  };
}

/** `{ dsn }` when the client asked for delivery reports, else nothing (no key at all). */
function withDsn(session: SMTPServerSession): { dsn?: NonNullable<ReturnType<typeof dsnOf>> } {
  const dsn = dsnOf(session);
  return dsn ? { dsn } : {};
}

function sessionInfo(session: SMTPServerSession, transcript: PackedTranscript): IncomingSession {
  const tlsOptions = session.tlsOptions;
  const user = session.user as SessionUser | undefined;
  return {
    clientAddress: session.remoteAddress,
    helo: session.hostNameAppearsAs,
    secure: session.secure,
    tls: tlsOptions ? { protocol: tlsOptions.version, cipher: tlsOptions.name } : null,
    username: user?.username ?? '',
    transcript,
  };
}

/** The SIZE a client announced in MAIL FROM (RFC 1870), 0 when none. smtp-server checked the limit. */
function announcedSize(session: SMTPServerSession): number {
  const args = session.envelope.mailFrom ? session.envelope.mailFrom.args : false;
  const size = args ? Number(args.SIZE) : 0;
  return Number.isSafeInteger(size) && size > 0 ? size : 0;
}
