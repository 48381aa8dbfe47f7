/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes, CI or tests).
 */
export class Progress {
  private readonly total: number;
  private readonly label: string;
  private readonly enabled: boolean;
  private readonly stream: NodeJS.WriteStream;
  private done = 0;

  constructor(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
    this.label = label;
    this.total = total;
    this.enabled = Boolean(stream.isTTY) && total > 0;
    this.stream = stream;
  }

  tick(item?: string): void {
    this.done++;
    if (!this.enabled) return;
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const name = item ? ` ${item}` : '';
    const cols = this.stream.columns ?? 80;
    const line = `${this.label} ${bar} ${this.done}/${this.total}${name}`.slice(0, cols - 1);
    this.stream.write(`\r\x1b[2K${line}`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }
}
