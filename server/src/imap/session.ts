import type { Logger } from 'pino';
import type { CredentialChecker } from '../access/credentials';
import { checkPassword } from '../pop3/auth';
import { astring, atomOf, parseCommand, ParseError, type Token } from './parser';
import { isInbox, listLines, statusLine } from './mailboxes';
import type { Framed } from './reader';
import { CommandNo, expunge, fetch, search, store, type SelectedContext } from './selected';
import type { ImapShared } from './view';
import { MailboxView } from './view';

/** What a session needs from its connection. */
export interface ImapIo {
  write(data: string | Buffer): void;
  /** Null while the client reads what is written; else a promise of the socket draining. */
  backpressure(): Promise<void> | null;
  /** After the OK to STARTTLS: wrap the socket in TLS; commands resume on the secure socket. */
  startTls(): void;
  /** Ends the connection after what was written. */
  close(): void;
  /** Logged in: the idle limit becomes the authenticated one (30 minutes, as IDLE needs). */
  authenticated(): void;
}

/** Settings shared by every session of one server. */
export interface ImapSessionOptions {
  shared: ImapShared;
  /** The credentials required (`--imap-auth`, else `--ui-auth`); null accepts any login. */
  checker: CredentialChecker | null;
  /** True when STARTTLS can be offered (a certificate is loaded and TLS is not implicit). */
  starttls: boolean;
  /** Malformed or unknown commands tolerated per connection. */
  maxBadCommands: number;
  log: Logger;
}

type State = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** A command the session is in the middle of that takes the client's next line itself. */
type Waiting = { kind: 'idle'; tag: string } | { kind: 'sasl'; tag: string };

/**
 * One IMAP4rev1 conversation (RFC 3501) with IDLE (RFC 2177), LITERAL+, SASL-IR, ID, NAMESPACE and
 * UNSELECT: the states of section 3, one mailbox (INBOX) per login, and the store's changes told as
 * untagged EXISTS, EXPUNGE and FETCH responses between commands and at once during IDLE.
 */
export class ImapSession {
  readonly #options: ImapSessionOptions;
  readonly #io: ImapIo;
  #state: State = 'not-authenticated';
  #secure: boolean;
  #user: string | null = null;
  #view: MailboxView | null = null;
  #waiting: Waiting | null = null;
  #badCommands = 0;

  constructor(options: ImapSessionOptions, io: ImapIo, secure: boolean) {
    this.#options = options;
    this.#io = io;
    this.#secure = secure;
  }

  /** Sends the greeting. */
  greet(): void {
    this.#io.write(`* OK [CAPABILITY ${this.#capabilities()}] Pigeonhole IMAP ready\r\n`);
  }

  /** Called once the STARTTLS handshake is done. */
  secured(): void {
    this.#secure = true;
  }

  /** The connection ended: stop following the store. */
  abort(): void {
    this.#state = 'logout';
    this.#view?.close();
    this.#view = null;
  }

  /** A command broke a bound of the reader. */
  tooLarge(tag: string | null, reason: string): void {
    this.#bad(tag, reason);
  }

  /** Handles one framed command; a promise while a password check runs (commands wait for it). */
  handle(parts: Framed): Promise<void> | void {
    if (this.#state === 'logout') return;
    if (this.#waiting) return this.#continuation(parts);
    let tag: string | null = null;
    try {
      const command = parseCommand(parts);
      tag = command.tag;
      const done = this.#dispatch(command.tag, command.name, command.args);
      if (done instanceof Promise) {
        const t = command.tag;
        return done.catch((err: unknown) => this.#failed(t, err));
      }
    } catch (err) {
      this.#failed(tag ?? this.#tagOf(parts), err);
    }
  }

  #tagOf(parts: Framed): string | null {
    const first = parts[0];
    if (typeof first !== 'string') return null;
    const tag = first.split(' ', 1)[0] ?? '';
    return /^[\x21-\x7e]{1,64}$/.test(tag) && !/[(){%*"\\+]/.test(tag) ? tag : null;
  }

  #failed(tag: string | null, err: unknown): void {
    if (err instanceof CommandNo) return this.#tagged(tag ?? '*', 'NO', err.message);
    if (err instanceof ParseError) return this.#bad(tag, err.message);
    this.#options.log.warn({ err }, 'IMAP command failed');
    this.#tagged(tag ?? '*', 'NO', '[SERVERBUG] internal error');
  }

  #dispatch(tag: string, name: string, args: Token[]): Promise<void> | void {
    switch (name) {
      case 'CAPABILITY':
        this.#io.write(`* CAPABILITY ${this.#capabilities()}\r\n`);
        return this.#ok(tag, 'CAPABILITY completed');
      case 'NOOP':
      case 'CHECK':
        if (name === 'CHECK' && this.#state !== 'selected') break;
        return this.#ok(tag, `${name} completed`);
      case 'LOGOUT':
        this.#io.write('* BYE Pigeonhole IMAP logging out\r\n');
        this.#ok(tag, 'LOGOUT completed', false);
        this.abort();
        return this.#io.close();
      case 'ID':
        this.#io.write('* ID ("name" "Pigeonhole")\r\n');
        return this.#ok(tag, 'ID completed');
    }
    if (this.#state === 'not-authenticated') return this.#notAuthenticated(tag, name, args);
    const selected = this.#state === 'selected' ? this.#selectedCommand(tag, name, args) : false;
    if (selected !== false) return selected;
    return this.#authenticated(tag, name, args);
  }

  #notAuthenticated(tag: string, name: string, args: Token[]): Promise<void> | void {
    switch (name) {
      case 'STARTTLS':
        if (this.#secure) throw new CommandNo('already using TLS');
        if (!this.#options.starttls) throw new CommandNo('STARTTLS not available');
        this.#ok(tag, 'Begin TLS negotiation now');
        return this.#io.startTls();
      case 'LOGIN':
        if (args.length !== 2) throw new ParseError('LOGIN needs a user name and a password');
        return this.#login(tag, astring(args[0], 'user name'), astring(args[1], 'password'));
      case 'AUTHENTICATE': {
        const mechanism = atomOf(args[0], 'SASL mechanism');
        if (mechanism !== 'PLAIN')
          throw new CommandNo(`[CANNOT] unsupported mechanism ${mechanism.slice(0, 20)}: use PLAIN`);
        if (args.length > 2) throw new ParseError('AUTHENTICATE PLAIN takes one initial response');
        if (args[1]) return this.#plain(tag, astring(args[1], 'initial response'));
        this.#waiting = { kind: 'sasl', tag };
        return this.#io.write('+ \r\n');
      }
      default:
        if (KNOWN.has(name)) throw new CommandNo('log in first (LOGIN or AUTHENTICATE PLAIN)');
        throw new ParseError(`unknown command ${name}`);
    }
  }

  #authenticated(tag: string, name: string, args: Token[]): void {
    switch (name) {
      case 'SELECT':
      case 'EXAMINE':
        return this.#select(tag, name, astring(args[0], 'mailbox name'));
      case 'LIST':
      case 'LSUB':
        this.#io.write(listLines(name, astring(args[0], 'reference'), astring(args[1], 'mailbox pattern')));
        return this.#ok(tag, `${name} completed`);
      case 'STATUS':
        if (!isInbox(astring(args[0], 'mailbox name'))) throw new CommandNo('[NONEXISTENT] only INBOX exists');
        this.#io.write(statusLine(this.#options.shared, this.#user!, args[1]));
        return this.#ok(tag, 'STATUS completed');
      case 'NAMESPACE':
        this.#io.write('* NAMESPACE (("" "/")) NIL NIL\r\n');
        return this.#ok(tag, 'NAMESPACE completed');
      case 'IDLE':
        this.#waiting = { kind: 'idle', tag };
        this.#io.write('+ idling\r\n');
        if (this.#view) {
          this.#view.onPending = () => this.#tell(true);
          this.#tell(true);
        }
        return;
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        if (!isInbox(astring(args[0], 'mailbox name'))) throw new CommandNo('[NONEXISTENT] only INBOX exists');
        return this.#ok(tag, `${name} completed`);
      case 'CREATE':
      case 'DELETE':
      case 'RENAME':
        throw new CommandNo(`[CANNOT] ${name}: Pigeonhole has one mailbox, INBOX`);
      case 'APPEND':
        throw new CommandNo('[CANNOT] APPEND: mail arrives over SMTP or the API only');
      case 'STARTTLS':
      case 'LOGIN':
      case 'AUTHENTICATE':
        throw new ParseError('already logged in');
      default:
        if (KNOWN.has(name)) throw new CommandNo(`${name} needs a selected mailbox`);
        throw new ParseError(`unknown command ${name}`);
    }
  }

  /** A Selected-state command, or false when `name` is not one. */
  #selectedCommand(tag: string, name: string, args: Token[]): false | void | Promise<void> {
    const ctx: SelectedContext = {
      shared: this.#options.shared,
      view: this.#view!,
      write: (d) => this.#io.write(d),
      backpressure: () => this.#io.backpressure(),
      alive: () => this.#state !== 'logout',
    };
    const answer = (text: Promise<string>, expunges: boolean): Promise<void> =>
      text.then((t) => {
        if (this.#state !== 'logout') this.#ok(tag, t, expunges);
      });
    switch (name) {
      case 'FETCH':
        return answer(fetch(ctx, args, false), false);
      case 'STORE':
        return this.#ok(tag, store(ctx, args, false), false);
      case 'SEARCH':
        return this.#ok(tag, search(ctx, args, false), false);
      case 'COPY':
        throw new CommandNo('[CANNOT] COPY: Pigeonhole has one mailbox, INBOX');
      case 'EXPUNGE':
        expunge(ctx);
        return this.#ok(tag, 'EXPUNGE completed');
      case 'CLOSE':
      case 'UNSELECT':
        // CLOSE expunges silently (RFC 3501 section 6.4.2); UNSELECT (RFC 3691) does not.
        if (name === 'CLOSE') expunge(ctx);
        this.#deselect();
        return this.#ok(tag, `${name} completed`, false);
      case 'UID': {
        const sub = atomOf(args[0], 'UID command');
        const rest = args.slice(1);
        if (sub === 'FETCH') return answer(fetch(ctx, rest, true), true);
        if (sub === 'STORE') return this.#ok(tag, store(ctx, rest, true));
        if (sub === 'SEARCH') return this.#ok(tag, search(ctx, rest, true));
        if (sub === 'COPY' || sub === 'MOVE')
          throw new CommandNo(`[CANNOT] UID ${sub}: Pigeonhole has one mailbox, INBOX`);
        throw new ParseError(`unknown UID command ${sub.slice(0, 20)}`);
      }
      default:
        return false;
    }
  }

  #login(tag: string, user: string, password: string): Promise<void> {
    return checkPassword(this.#options.checker, user, password).then((ok) => {
      if (this.#state === 'logout') return;
      if (!ok) {
        this.#options.log.info({ user }, 'IMAP login refused');
        this.#badCommands++;
        this.#tagged(tag, 'NO', '[AUTHENTICATIONFAILED] invalid user name or password');
        return this.#closeIfTooManyBad();
      }
      this.#user = user;
      this.#state = 'authenticated';
      this.#io.authenticated();
      this.#options.log.info({ user }, 'IMAP login');
      this.#tagged(tag, 'OK', `[CAPABILITY ${this.#capabilities()}] logged in`);
    });
  }

  /** AUTHENTICATE PLAIN (RFC 4616): base64 of `authzid NUL authcid NUL password`. */
  #plain(tag: string, response: string): Promise<void> | void {
    if (response === '*') return this.#bad(tag, 'AUTHENTICATE cancelled');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(response)) return this.#bad(tag, 'AUTHENTICATE PLAIN needs base64');
    const [, user = '', password = '', extra] = Buffer.from(response, 'base64').toString('utf8').split('\0');
    if (extra !== undefined || !user) return this.#bad(tag, 'AUTHENTICATE PLAIN needs authzid NUL user NUL password');
    return this.#login(tag, user, password);
  }

  #continuation(parts: Framed): Promise<void> | void {
    const waiting = this.#waiting!;
    const line = parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : '';
    if (waiting.kind === 'sasl') {
      this.#waiting = null;
      return this.#plain(waiting.tag, line.trim());
    }
    if (line.toUpperCase() !== 'DONE') {
      this.#badCommands++;
      this.#io.write('* BAD expected DONE to end IDLE\r\n');
      return this.#closeIfTooManyBad();
    }
    this.#waiting = null;
    if (this.#view) this.#view.onPending = null;
    this.#ok(waiting.tag, 'IDLE terminated');
  }

  #select(tag: string, name: string, mailbox: string): void {
    this.#deselect();
    if (!isInbox(mailbox)) throw new CommandNo('[NONEXISTENT] only INBOX exists');
    const shared = this.#options.shared;
    const view = new MailboxView(shared, this.#user!, name === 'EXAMINE');
    this.#view = view;
    this.#state = 'selected';
    const unseen = view.messages.findIndex((m) => !m.read);
    this.#io.write(
      '* FLAGS (\\Seen \\Deleted)\r\n' +
        `* OK [PERMANENTFLAGS (${view.readOnly ? '' : '\\Seen \\Deleted'})] flags kept\r\n` +
        `* ${view.messages.length} EXISTS\r\n* 0 RECENT\r\n` +
        (unseen === -1 ? '' : `* OK [UNSEEN ${unseen + 1}] first unseen\r\n`) +
        `* OK [UIDVALIDITY ${shared.uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${shared.uidNext}] next UID\r\n`,
    );
    this.#tagged(tag, 'OK', `[${view.readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${name} completed`);
  }

  #deselect(): void {
    this.#view?.close();
    this.#view = null;
    if (this.#state === 'selected') this.#state = 'authenticated';
  }

  #capabilities(): string {
    const caps = ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'IDLE', 'NAMESPACE', 'ID', 'UNSELECT'];
    if (this.#state === 'not-authenticated') {
      if (this.#options.starttls && !this.#secure) caps.push('STARTTLS');
      caps.push('AUTH=PLAIN');
    }
    return caps.join(' ');
  }

  /** Sends what changed in the store, if a mailbox is selected (EXPUNGE only when `expunges`). */
  #tell(expunges: boolean): void {
    if (!this.#view?.hasPending) return;
    const lines = this.#view.flush(expunges);
    if (lines.length > 0) this.#io.write(lines.map((l) => `${l}\r\n`).join(''));
  }

  /**
   * Tagged OK, after the untagged news. `expunges` is false after FETCH, STORE and SEARCH, which
   * must not be followed by EXPUNGE responses (RFC 3501 section 7.4.1).
   */
  #ok(tag: string, text: string, expunges = true): void {
    this.#tell(expunges);
    this.#tagged(tag, 'OK', text);
  }

  #tagged(tag: string, status: 'OK' | 'NO' | 'BAD', text: string): void {
    this.#io.write(`${tag} ${status} ${text}\r\n`);
  }

  /** A malformed command: tagged BAD (untagged when it has no tag), counted, closed past the limit. */
  #bad(tag: string | null, reason: string): void {
    this.#badCommands++;
    this.#options.log.debug({ reason }, 'IMAP bad command');
    this.#tagged(tag ?? '*', 'BAD', reason);
    this.#closeIfTooManyBad();
  }

  #closeIfTooManyBad(): void {
    if (this.#badCommands < this.#options.maxBadCommands) return;
    this.#io.write('* BYE too many bad commands\r\n');
    this.abort();
    this.#io.close();
  }
}

const KNOWN = new Set([
  'SELECT',
  'EXAMINE',
  'LIST',
  'LSUB',
  'STATUS',
  'NAMESPACE',
  'IDLE',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'CREATE',
  'DELETE',
  'RENAME',
  'APPEND',
  'FETCH',
  'STORE',
  'SEARCH',
  'COPY',
  'EXPUNGE',
  'CLOSE',
  'UNSELECT',
  'UID',
  'CHECK',
]);
