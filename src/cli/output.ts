import { formatDuration } from './flags.js';

/** Where a command writes, and how. */
export interface OutputStreams {
  /** Results: text, or one JSON document with --json. */
  readonly stdout: NodeJS.WritableStream;
  /** Progress, warnings and errors. */
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal: progress then shows a spinner and redraws lines. */
  readonly stderrIsTTY: boolean;
  /** Whether colour is allowed (a TTY and no NO_COLOR). */
  readonly color: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Milliseconds as people read a step's timing: `85 ms`, `1.2 s`, `2m05s`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

/** Prints one JSON document on stdout, and nothing else there. */
export function printJson(out: OutputStreams, value: unknown): void {
  out.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Aligned `key: value` lines for text results. */
export function formatFields(fields: readonly (readonly [string, string | undefined])[]): string {
  const shown = fields.filter((field): field is readonly [string, string] => field[1] !== undefined);
  const width = Math.max(0, ...shown.map(([key]) => key.length)) + 2;
  return shown.map(([key, value]) => `${`${key}:`.padEnd(width)}${value}\n`).join('');
}

/** A step of a {@link Progress}, ended by `done` or `fail`. */
export interface ProgressStep {
  /** Ends the step with its timing. */
  done(text?: string): void;
  /** Ends the step as failed. */
  fail(text?: string): void;
  /** Changes what the running step says (TTY only; plain output prints only the end). */
  update(text: string): void;
}

/**
 * Progress on stderr. On a terminal: a spinner line per running step, redrawn with its elapsed time, then a check
 * mark line with the timing. Otherwise: one plain line per finished step, `[n/N] text (timing)`. Notes are lines in
 * both modes.
 */
export class Progress {
  private current?: { title: string; started: number; prefix: string };
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private index = 0;

  public constructor(
    private readonly out: OutputStreams,
    private readonly total?: number,
  ) {}

  /** Starts a step. A running step is ended first. */
  public start(title: string): ProgressStep {
    this.stopSpinner();
    this.index += 1;
    const prefix = this.total === undefined ? '' : `[${this.index}/${this.total}] `;
    const state = { title, started: performance.now(), prefix };
    this.current = state;
    if (this.out.stderrIsTTY) {
      this.draw();
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
    let ended = false;
    const end = (mark: string, text: string | undefined, colour: string) => {
      if (ended) return;
      ended = true;
      const elapsed = formatElapsed(performance.now() - state.started);
      if (this.current === state) this.stopSpinner();
      const line = `${state.prefix}${text ?? state.title} (${elapsed})`;
      if (this.out.stderrIsTTY) this.out.stderr.write(`\r\x1b[K${this.paint(mark, colour)} ${line}\n`);
      else this.out.stderr.write(`${mark === '✖' ? 'failed: ' : ''}${line}\n`);
      if (this.current === state) this.current = undefined;
    };
    return {
      done: (text) => end('✔', text, '32'),
      fail: (text) => end('✖', text, '31'),
      update: (text) => {
        state.title = text;
        if (this.out.stderrIsTTY && this.current === state) this.draw();
      },
    };
  }

  /** A line of information, e.g. what to do while a step waits. */
  public note(text: string): void {
    if (this.out.stderrIsTTY) {
      this.out.stderr.write(`\r\x1b[K  ${text}\n`);
      this.draw();
    } else {
      this.out.stderr.write(`${text}\n`);
    }
  }

  /** A warning line, `kube-csr: warning: ...`. */
  public warn(text: string): void {
    const line = `kube-csr: ${this.paint('warning:', '33')} ${text}`;
    if (this.out.stderrIsTTY && this.current) {
      this.out.stderr.write(`\r\x1b[K${line}\n`);
      this.draw();
    } else {
      this.out.stderr.write(`${line}\n`);
    }
  }

  /** Stops the spinner (call before exiting). */
  public close(): void {
    this.stopSpinner();
  }

  private paint(text: string, colour: string): string {
    return this.out.color ? `\x1b[${colour}m${text}\x1b[0m` : text;
  }

  private draw(): void {
    const state = this.current;
    if (!state) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const elapsed = formatElapsed(performance.now() - state.started);
    this.out.stderr.write(
      `\r\x1b[K${this.paint(SPINNER[this.frame] ?? '-', '36')} ${state.prefix}${state.title} ${elapsed}`,
    );
  }

  private stopSpinner(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.out.stderrIsTTY && this.current) this.out.stderr.write('\r\x1b[K');
  }
}
