/**
 * A one-line progress bar on a terminal: `[#####.....]  52%  1,204 messages  3.1/6.0 MB`. Redrawn
 * at most ten times a second, so a fast load is not slowed down by the terminal.
 */
export class ProgressBar {
  #done = 0;
  #messages = 0;
  #lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream,
    private readonly width = 30,
  ) {}

  /** Bytes and messages sent so far. */
  update(bytes: number, messages: number): void {
    this.#done = bytes;
    this.#messages = messages;
    const now = Date.now();
    if (now - this.#lastDraw >= 100) this.#draw(now);
  }

  /** Draws the final state and ends the line. */
  finish(complete: boolean): void {
    // mbox separator lines are counted in the total but sent in no message: a full run shows 100%.
    if (complete) this.#done = this.total;
    this.#draw(Date.now());
    this.out.write('\n');
  }

  #draw(now: number): void {
    this.#lastDraw = now;
    const ratio = this.total > 0 ? Math.min(1, this.#done / this.total) : 1;
    const filled = Math.round(ratio * this.width);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    this.out.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%` +
        `  ${this.#messages.toLocaleString('en')} messages  ${mb(this.#done)}/${mb(this.total)} MB`,
    );
  }
}
