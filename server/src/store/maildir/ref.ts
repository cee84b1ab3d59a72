import { join } from 'node:path';
import { fileName, type Subdir } from './names';

/**
 * Where one message's file is, and what is kept of it in memory: its length, where the transcript's
 * own lines are (deflated with others': about 250 bytes each as a string), and its bytes only until
 * the journal has them. A class, so that every reference has one compact shape: 100,000 messages
 * keep 100,000 of these.
 */
export class MaildirRef {
  /** The bytes, until the file holds them; null after. */
  pending: Buffer | null;
  /**
   * Until the file is written: the journal holding the bytes, and where in it they start (once the
   * journal has them, they are read from there rather than kept in memory). -1 when none.
   */
  journalNo = -1;
  journalAt = 0;
  /** The transcript's own lines: a handle into the holder's deflated texts; -1 when none. */
  textAt = -1;
  /** Deleted: a file not written yet is not written, a written one is removed. */
  gone = false;
  /** Written but not fsynced: its bytes are safe only in the journal that holds them. */
  unsynced = false;

  constructor(
    readonly base: string,
    public subdir: Subdir,
    public flags: string,
    readonly length: number,
    pending: Buffer | null,
  ) {
    this.pending = pending;
  }

  /** Whether the file is still to be written (the bytes are in memory or in a journal). */
  get unwritten(): boolean {
    return this.pending !== null || this.journalNo >= 0;
  }

  /** The file's path under the folder. */
  path(dir: string): string {
    return join(dir, this.subdir, fileName(this.base, this.subdir, this.flags));
  }
}
