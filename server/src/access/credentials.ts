import { createHash, timingSafeEqual } from 'node:crypto';
import type { Credential } from '../config';

/** A bcrypt hash as htpasswd -B and every bcrypt library write it (`$2a$`, `$2b$`, `$2y$`). */
export const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

interface User {
  name: Buffer;
  plain: Buffer | null;
  password: string | null;
  hash: string | null;
}

/**
 * The one credential rule of every way in that reads mail (HTTP basic auth of UI, API and
 * WebSocket; POP3): users with a plain password or a bcrypt hash, as `--ui-auth` gives them.
 *
 * Neither the answer nor its time tells whether the name exists. Plain passwords are compared in
 * constant time over every user. bcrypt takes tens of milliseconds a check (cost 10 is about 70 ms
 * here); it once ran only for a known name, so an unknown one answered a hundred times faster
 * (126 ms against 1.3 ms). Now a name that matches no bcrypt user is checked against a dummy hash of
 * the highest cost configured.
 */
export class CredentialChecker {
  readonly #users: User[];
  readonly #dummyCost: number | null;
  #dummy: Promise<string> | null = null;

  constructor(credentials: Credential[]) {
    this.#users = credentials.map(({ username, password }) => {
      const hashed = BCRYPT_HASH.test(password);
      return {
        name: digest(username),
        plain: hashed ? null : digest(password),
        password: hashed ? null : password,
        hash: hashed ? password : null,
      };
    });
    const costs = this.#users.flatMap((u) => (u.hash ? [Number(u.hash.slice(4, 6))] : []));
    this.#dummyCost = costs.length > 0 ? Math.max(...costs) : null;
  }

  /** True when `username` and `password` are those of a user. */
  async verify(username: string, password: string): Promise<boolean> {
    const name = digest(username);
    const pass = digest(password);
    let ok = false;
    let hashed = false;
    for (const user of this.#users) {
      const sameName = timingSafeEqual(user.name, name);
      if (user.plain) ok = (timingSafeEqual(user.plain, pass) && sameName) || ok;
      else if (sameName && user.hash) {
        hashed = true;
        ok = (await compareHash(password, user.hash)) || ok;
      }
    }
    if (!hashed && this.#dummyCost !== null) await compareHash(password, await this.#dummyHash(this.#dummyCost));
    return ok;
  }

  /** The plain password of `username` (APOP needs it), or null for an unknown user or a bcrypt hash. */
  plainPassword(username: string): string | null {
    const name = digest(username);
    let found: string | null = null;
    for (const user of this.#users)
      if (timingSafeEqual(user.name, name) && user.password !== null) found = user.password;
    return found;
  }

  #dummyHash(cost: number): Promise<string> {
    this.#dummy ??= import('bcryptjs').then(({ default: bcrypt }) => bcrypt.hash('no such user', cost));
    return this.#dummy;
  }
}

/** bcryptjs, loaded the first time a hash is checked; a hash it cannot read ($2x$, say) is a refusal. */
async function compareHash(password: string, hash: string): Promise<boolean> {
  const { default: bcrypt } = await import('bcryptjs');
  return bcrypt.compare(password, hash).catch(() => false);
}
