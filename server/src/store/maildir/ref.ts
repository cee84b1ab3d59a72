import { join } from 'node:path';
import { fileName, type Subdir } from './names';

/** Where in a journal a message's bytes are, until its file is written. */
interface JournalSpot {
  no: number;
  at: number;
}

const GONE = 1;
const UNSYNCED = 2;

/**
 * Where one message's file is, and what is kept of it in memory: its length, where the transcript's
 * own lines are (deflated with others': about 250 bytes each as a string), where its summary fields
 * are in the snapshot, and its bytes only until the journal has them. A class, so that every
 * reference has one compact shape: 100,000 messages keep 100,000 of these, and each field costs
 * 800 KB there. So the bytes and their place in the journal, never needed at once, share a field,
 * and the two flags another.
 */
export class MaildirRef {
  /**
   * Until the file is written: the bytes until the journal has them, then where in the journal
   * they are (read from there rather than kept in memory); null once the file holds them.
   */
  #unwritten: Buffer | JournalSpot | null;
  /** The transcript's own lines: a handle into the holder's deflated texts; -1 when none. */
  textAt = -1;
  /** Where the summary fields' JSON is in the current snapshot file, in bytes; -1 when it has none. */
  fieldsAt = -1;
  fieldsLen = 0;
  #state = 0;

  constructor(
    readonly base: string,
    public subdir: Subdir,
    public flags: string,
    readonly length: number,
    pending: Buffer | null,
  ) {
    this.#unwritten = pending;
  }

  /** The bytes, until the journal holds them; null after. */
  get pending(): Buffer | null {
    return Buffer.isBuffer(this.#unwritten) ? this.#unwritten : null;
  }

  /** The journal holding the bytes until the file is written, and where in it they start; -1 when none. */
  get journalNo(): number {
    return this.#unwritten && !Buffer.isBuffer(this.#unwritten) ? this.#unwritten.no : -1;
  }

  get journalAt(): number {
    return this.#unwritten && !Buffer.isBuffer(this.#unwritten) ? this.#unwritten.at : 0;
  }

  /** The journal has the bytes now: they are read from there until the file is written. */
  inJournal(no: number, at: number): void {
    this.#unwritten = { no, at };
  }

  /** The file is written (or is not to be): the bytes are no longer anywhere else. */
  forgetBytes(): void {
    this.#unwritten = null;
  }

  /** Whether the file is still to be written (the bytes are in memory or in a journal). */
  get unwritten(): boolean {
    return this.#unwritten !== null;
  }

  /** Deleted: a file not written yet is not written, a written one is removed. */
  get gone(): boolean {
    return (this.#state & GONE) !== 0;
  }

  set gone(gone: boolean) {
    this.#state = gone ? this.#state | GONE : this.#state & ~GONE;
  }

  /** Written but not fsynced: its bytes are safe only in the journal that holds them. */
  get unsynced(): boolean {
    return (this.#state & UNSYNCED) !== 0;
  }

  set unsynced(unsynced: boolean) {
    this.#state = unsynced ? this.#state | UNSYNCED : this.#state & ~UNSYNCED;
  }

  /** The file's path under the folder. */
  path(dir: string): string {
    return join(dir, this.subdir, fileName(this.base, this.subdir, this.flags));
  }
}
