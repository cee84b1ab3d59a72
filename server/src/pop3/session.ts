import type { Logger } from 'pino';
import type { CredentialChecker } from '../access/credentials';
import type { MessageStore } from '../store/store';
import { checkApop, checkPassword } from './auth';
import { openMaildrop, wireOf, type MaildropEntry } from './mailbox';
import { top } from './wire';

/** What a session needs from its connection. */
export interface Pop3Io {
  write(data: string | Buffer): void;
  /** After "+OK" to STLS: wrap the socket in TLS; lines resume on the secure socket. */
  startTls(): void;
  /** Ends the connection after what was written. */
  close(): void;
}

/** Settings shared by every session of one server. */
export interface Pop3SessionOptions {
  store: MessageStore;
  /** The credentials required (`--pop3-auth`, else `--ui-auth`); null accepts any login. */
  checker: CredentialChecker | null;
  hostname: string;
  /** True when STLS can be offered (a certificate is loaded). */
  tls: boolean;
  /** Unknown or malformed commands tolerated before the connection is closed. */
  maxBadCommands: number;
  log: Logger;
}

type State = 'authorization' | 'transaction' | 'closed';

const TRANSACTION_COMMANDS = new Set(['STAT', 'LIST', 'UIDL', 'RETR', 'TOP', 'DELE', 'RSET', 'NOOP']);
let sessionCounter = 0;

/**
 * One POP3 conversation (RFC 1939, with CAPA from RFC 2449 and STLS from RFC 2595): the AUTHORIZATION
 * state (USER/PASS, APOP, CAPA, STLS), the TRANSACTION state over a maildrop fixed at login, and the
 * UPDATE state at QUIT, where messages marked with DELE leave the store (which tells the web UI).
 */
export class Pop3Session {
  readonly #options: Pop3SessionOptions;
  readonly #io: Pop3Io;
  /** The APOP timestamp of the greeting, `<pid.counter.time@host>`. */
  readonly timestamp: string;
  #state: State = 'authorization';
  #secure: boolean;
  #user: string | null = null;
  #maildrop: MaildropEntry[] = [];
  #badCommands = 0;
  /** Lines that came while a password check ran (bcrypt is asynchronous), handled after it. */
  #held: string[] | null = null;

  constructor(options: Pop3SessionOptions, io: Pop3Io, secure: boolean) {
    this.#options = options;
    this.#io = io;
    this.#secure = secure;
    this.timestamp = `<${process.pid}.${++sessionCounter}.${Date.now()}@${options.hostname}>`;
  }

  /** The login name, once logged in. */
  get user(): string | null {
    return this.#state === 'transaction' ? this.#user : null;
  }

  /** Sends the greeting. */
  greet(): void {
    this.#ok(`Pigeonhole POP3 ready ${this.timestamp}`);
  }

  /** Called once the STLS handshake is done. */
  secured(): void {
    this.#secure = true;
  }

  /** Marks the session over without UPDATE (the client left without QUIT: nothing is deleted). */
  abort(): void {
    this.#state = 'closed';
  }

  /** A line too long to be a command. */
  tooLong(): void {
    this.#bad('line too long');
  }

  /** Handles one command line (without its CRLF). */
  handle(line: string): void {
    if (this.#state === 'closed') return;
    if (this.#held) {
      this.#held.push(line);
      return;
    }
    const [word = '', ...args] = line.split(' ');
    const command = word.toUpperCase();
    if (command === 'QUIT') return this.#quit();
    if (command === 'CAPA') return this.#capa();
    if (command === 'NOOP' && this.#state === 'transaction') return this.#ok('');
    if (this.#state === 'authorization') return this.#authorization(command, args, line);
    return this.#transaction(command, args);
  }

  #authorization(command: string, args: string[], line: string): void {
    switch (command) {
      case 'USER':
        if (args.length === 0 || !args[0]) return this.#bad('USER needs a name');
        this.#user = line.slice(5).trim();
        return this.#ok('send PASS');
      case 'PASS': {
        if (this.#user === null) return this.#err('USER first');
        // A password may contain spaces: everything after "PASS " is the password.
        const password = line.slice(5);
        const user = this.#user;
        this.#held = [];
        void checkPassword(this.#options.checker, user, password).then((ok) => {
          const held = this.#held ?? [];
          this.#held = null;
          if (this.#state === 'closed') return;
          if (ok) this.#login(user);
          else this.#refuse(user);
          for (const next of held) this.handle(next);
        });
        return;
      }
      case 'APOP': {
        const digest = args.pop() ?? '';
        const name = args.join(' ');
        if (!name || !/^[0-9a-f]{32}$/i.test(digest)) return this.#bad('APOP needs a name and an MD5 digest');
        if (!checkApop(this.#options.checker, name, digest, this.timestamp)) return this.#refuse(name);
        return this.#login(name);
      }
      case 'AUTH':
        // SASL (RFC 5034) is not offered; mail clients that probe for it fall back to USER/PASS.
        return this.#err('AUTH is not supported: use USER and PASS, or APOP');
      case 'STLS':
        if (this.#secure) return this.#err('already using TLS');
        if (!this.#options.tls) return this.#err('STLS not available');
        this.#user = null;
        this.#ok('Begin TLS negotiation');
        return this.#io.startTls();
      default:
        if (TRANSACTION_COMMANDS.has(command)) return this.#err('log in first (USER and PASS, or APOP)');
        return this.#bad(`unknown command ${command.slice(0, 20)}`);
    }
  }

  #transaction(command: string, args: string[]): void {
    switch (command) {
      case 'STAT': {
        const live = this.#live();
        return this.#ok(`${live.length} ${live.reduce((sum, e) => sum + e.size, 0)}`);
      }
      case 'LIST':
        if (args.length > 0) return this.#one(args[0], (n, e) => this.#ok(`${n} ${e.size}`));
        return this.#multi(
          `${this.#live().length} messages`,
          this.#numbered().map(([n, e]) => `${n} ${e.size}`),
        );
      case 'UIDL':
        if (args.length > 0) return this.#one(args[0], (n, e) => this.#ok(`${n} ${e.message.id}`));
        return this.#multi(
          'unique-id listing follows',
          this.#numbered().map(([n, e]) => `${n} ${e.message.id}`),
        );
      case 'RETR':
        return this.#one(args[0], (n, entry) => {
          if (this.#goneElsewhere(n, entry)) return;
          this.#ok(`${entry.size} octets`);
          this.#io.write(wireOf(entry));
          this.#io.write('.\r\n');
          // Reading a message in a mail client is opening it: mark it read, as the web UI does.
          this.#options.store.setRead([entry.message.id], true);
        });
      case 'TOP': {
        const lines = Number(args[1]);
        if (args.length !== 2 || !/^\d{1,9}$/.test(args[1] ?? ''))
          return this.#bad('TOP needs a message and a line count');
        return this.#one(args[0], (n, entry) => {
          if (this.#goneElsewhere(n, entry)) return;
          this.#ok('top of message follows');
          this.#io.write(top(wireOf(entry), lines));
          this.#io.write('.\r\n');
        });
      }
      case 'DELE':
        return this.#one(args[0], (n, entry) => {
          entry.deleted = true;
          this.#ok(`message ${n} deleted`);
        });
      case 'RSET':
        for (const entry of this.#maildrop) entry.deleted = false;
        return this.#ok(`${this.#maildrop.length} messages`);
      case 'USER':
      case 'PASS':
      case 'APOP':
      case 'STLS':
        return this.#err('already logged in');
      default:
        return this.#bad(`unknown command ${command.slice(0, 20)}`);
    }
  }

  #login(user: string): void {
    this.#user = user;
    this.#maildrop = openMaildrop(this.#options.store, user);
    this.#state = 'transaction';
    this.#options.log.info({ user, messages: this.#maildrop.length }, 'POP3 login');
    this.#ok(`${user} has ${this.#maildrop.length} messages`);
  }

  #refuse(user: string): void {
    this.#options.log.info({ user }, 'POP3 login refused');
    this.#user = null;
    this.#badCommands++;
    this.#err('[AUTH] invalid user name or password');
    this.#closeIfTooManyBad();
  }

  #quit(): void {
    if (this.#state === 'transaction') {
      // UPDATE state (RFC 1939 section 6): only now do DELE'd messages leave the store.
      const ids = this.#maildrop.filter((e) => e.deleted).map((e) => e.message.id);
      const deleted = ids.length > 0 ? this.#options.store.delete(ids) : [];
      if (deleted.length > 0) this.#options.log.info({ user: this.#user, deleted: deleted.length }, 'POP3 delete');
      this.#ok(`Pigeonhole POP3 signing off (${deleted.length} messages deleted)`);
    } else {
      this.#ok('Pigeonhole POP3 signing off');
    }
    this.#state = 'closed';
    this.#io.close();
  }

  #capa(): void {
    const lines = ['TOP', 'USER', 'UIDL', 'RESP-CODES', 'PIPELINING', 'EXPIRE NEVER', 'IMPLEMENTATION Pigeonhole'];
    if (this.#options.tls && !this.#secure && this.#state === 'authorization') lines.push('STLS');
    this.#multi('capability list follows', lines);
  }

  /** Messages not marked deleted. */
  #live(): MaildropEntry[] {
    return this.#maildrop.filter((e) => !e.deleted);
  }

  /** Messages not marked deleted, with their message numbers (which never change in a session). */
  #numbered(): [number, MaildropEntry][] {
    const out: [number, MaildropEntry][] = [];
    this.#maildrop.forEach((e, i) => {
      if (!e.deleted) out.push([i + 1, e]);
    });
    return out;
  }

  /** Runs `then` with the message numbered `arg`, or answers why not. */
  #one(arg: string | undefined, then: (n: number, entry: MaildropEntry) => void): void {
    if (!arg || !/^\d{1,9}$/.test(arg)) return this.#bad('a message number is needed');
    const n = Number(arg);
    const entry = this.#maildrop[n - 1];
    if (!entry) return this.#err(`no message ${n}`);
    if (entry.deleted) return this.#err(`message ${n} already deleted`);
    then(n, entry);
  }

  /**
   * RFC 1939 locks the maildrop for a session, but here the web UI and the API can delete a message
   * mid-session; its bytes are gone then, so RETR and TOP say so instead of sending an empty body.
   */
  #goneElsewhere(n: number, entry: MaildropEntry): boolean {
    if (this.#options.store.get(entry.message.id)) return false;
    this.#err(`message ${n} was deleted by another client`);
    return true;
  }

  #ok(text: string): void {
    this.#io.write(text ? `+OK ${text}\r\n` : '+OK\r\n');
  }

  #err(text: string): void {
    this.#io.write(`-ERR ${text}\r\n`);
  }

  #multi(first: string, lines: string[]): void {
    // Lines here are numbers, IDs and capability names: none starts with "." so none needs stuffing.
    this.#io.write(`+OK ${first}\r\n${lines.map((l) => `${l}\r\n`).join('')}.\r\n`);
  }

  /** A malformed or unknown command: answered, counted, and the connection closed past the limit. */
  #bad(text: string): void {
    this.#badCommands++;
    this.#err(text);
    this.#closeIfTooManyBad();
  }

  #closeIfTooManyBad(): void {
    if (this.#badCommands < this.#options.maxBadCommands) return;
    this.#err('too many bad commands, closing');
    this.#state = 'closed';
    this.#io.close();
  }
}
