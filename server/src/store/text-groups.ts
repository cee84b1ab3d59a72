import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { BlockAllocator, type Allocation } from './blocks';

/** Texts per group: a group is deflated once full. */
const GROUP_TEXTS = 128;
/** Groups kept inflated for the next reads: a snapshot reads every text in order, each group once. */
const INFLATED_GROUPS = 8;

/** A full group: its texts as deflated JSON, and how many of them are still in use. */
interface Group {
  allocation: Allocation;
  live: number;
}

/**
 * Short texts that every message keeps but few requests read (with `--storage`, the transcript's
 * own lines: read when a session tab opens, and by snapshots in order), kept deflated in groups of
 * {@link GROUP_TEXTS} in arrival order. A handle is a number: the group times {@link GROUP_TEXTS}
 * plus the place in it. Reads of neighbours share one inflate; a group goes once its last text is
 * freed.
 *
 * Tried for the list snippets too (about 250 characters, 272 bytes of heap each as a string, about
 * 120 deflated): 15 MB less at 100,000 messages (under 5 % of RSS, under 1 MB at the default
 * `--max 5000`), and a body-word search, which reads every snippet, went from 53 to 226 ms. Not kept.
 */
export class TextGroups {
  readonly #blocks = new BlockAllocator();
  readonly #groups = new Map<number, Group>();
  /** Inflated groups, least recently read first. */
  readonly #inflated = new Map<number, string[]>();
  #open: string[] = [];
  #openNo = 0;
  #openLive = 0;
  #bytes = 0;

  /** Keeps a text; returns its handle. */
  add(text: string): number {
    const handle = this.#openNo * GROUP_TEXTS + this.#open.length;
    this.#open.push(text);
    this.#openLive++;
    if (this.#open.length === GROUP_TEXTS) this.#seal();
    return handle;
  }

  /** The text of a handle from {@link add} not freed yet. */
  get(handle: number): string {
    const no = Math.floor(handle / GROUP_TEXTS);
    const at = handle - no * GROUP_TEXTS;
    if (no === this.#openNo) return this.#open[at] ?? '';
    let texts = this.#inflated.get(no);
    if (texts) {
      this.#inflated.delete(no);
    } else {
      const group = this.#groups.get(no);
      if (!group) return '';
      texts = JSON.parse(inflateRawSync(group.allocation.bytes).toString('utf8')) as string[];
      if (this.#inflated.size >= INFLATED_GROUPS) this.#inflated.delete(this.#inflated.keys().next().value!);
    }
    this.#inflated.set(no, texts);
    return texts[at] ?? '';
  }

  /** Lets a text go; its group goes with its last text. */
  free(handle: number): void {
    const no = Math.floor(handle / GROUP_TEXTS);
    if (no === this.#openNo) {
      this.#open[handle - no * GROUP_TEXTS] = '';
      this.#openLive--;
      return;
    }
    const group = this.#groups.get(no);
    if (!group || --group.live > 0) return;
    this.#groups.delete(no);
    this.#inflated.delete(no);
    this.#bytes -= group.allocation.bytes.length;
    this.#blocks.discard(group.allocation);
  }

  /** Forgets every text. */
  clear(): void {
    this.#groups.clear();
    this.#inflated.clear();
    this.#blocks.clear();
    this.#bytes = 0;
    this.#open = [];
    this.#openLive = 0;
    this.#openNo++;
  }

  /** Bytes the full groups take, deflated. */
  get bytes(): number {
    return this.#bytes;
  }

  #seal(): void {
    if (this.#openLive === 0) {
      this.#open = [];
      this.#openNo++;
      return;
    }
    const deflated = deflateRawSync(Buffer.from(JSON.stringify(this.#open)), { level: 1 });
    const allocation = this.#blocks.allocate(deflated.length);
    deflated.copy(allocation.bytes);
    this.#groups.set(this.#openNo, { allocation, live: this.#openLive });
    this.#bytes += deflated.length;
    this.#open = [];
    this.#openLive = 0;
    this.#openNo++;
  }
}
