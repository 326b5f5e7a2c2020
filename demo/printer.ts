/**
 * Where the demo writes: plain text, ANSI colour only on a TTY without NO_COLOR, a spinner for long steps only on a
 * TTY (a log or CI gets one line per step instead). `quiet` writes nothing (tests).
 */
export type Colour = "bold" | "dim" | "green" | "yellow" | "red" | "magenta" | "cyan";

const CODES: Record<Colour, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  magenta: [35, 39],
  cyan: [36, 39],
};

export interface PrinterOptions {
  quiet?: boolean;
  color?: boolean;
  stream?: NodeJS.WriteStream;
}

export function wantsColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  // https://no-color.org: any non-empty NO_COLOR disables colour.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class Printer {
  readonly lines: string[] = [];
  private readonly stream: NodeJS.WriteStream;
  private readonly colour: boolean;
  private readonly quiet: boolean;
  private spinner: NodeJS.Timeout | undefined;

  constructor(opts: PrinterOptions = {}) {
    this.stream = opts.stream ?? process.stdout;
    this.quiet = opts.quiet ?? false;
    this.colour = !this.quiet && (opts.color ?? wantsColour(this.stream));
  }

  paint(c: Colour, s: string): string {
    if (!this.colour) return s;
    const [on, off] = CODES[c];
    return `\u001b[${on}m${s}\u001b[${off}m`;
  }

  line(s = ""): void {
    this.lines.push(s);
    if (this.quiet) return;
    this.clearSpinner();
    this.stream.write(`${s}\n`);
  }

  /**
   * Runs `fn` while showing `label` and `status()` (e.g. the API calls so far). On a TTY it animates one line;
   * elsewhere it prints the label once.
   */
  async progress<T>(label: string, status: () => string, fn: () => Promise<T>): Promise<T> {
    if (this.quiet) return fn();
    const started = Date.now();
    if (!this.stream.isTTY) {
      this.stream.write(`… ${label}\n`);
      return fn();
    }
    let i = 0;
    const draw = () => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      this.stream.write(
        `\r\u001b[2K${this.paint("cyan", FRAMES[i++ % FRAMES.length])} ${label} ${this.paint("dim", `${secs}s ${status()}`)}`,
      );
    };
    draw();
    this.spinner = setInterval(draw, 100);
    try {
      return await fn();
    } finally {
      this.clearSpinner();
    }
  }

  private clearSpinner(): void {
    if (this.spinner === undefined) return;
    clearInterval(this.spinner);
    this.spinner = undefined;
    this.stream.write("\r\u001b[2K");
  }
}
