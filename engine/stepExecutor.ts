// The engine's step executor (pkg/resource/deploy/step_executor.go): a fixed number of workers, each running one
// chain of steps at a time. Handing a chain over waits for a free worker (ExecuteSerial sends on an unbuffered
// channel), and the step generator hands chains over inline, so a full pool also holds back the next check and diff.
// After a failed step the executor is cancelled (as without --continue-on-error): it takes no further chain, and a
// chain under way stops before its next step; the steps in flight finish.

/** One step of a chain; it throws when it fails. */
export type Step = () => Promise<void>;
export type Chain = readonly Step[];

export interface StepExecutorOptions {
  parallel: number | "unbounded";
  /** Decides what a failed step does to the deployment: "cancel" (the default) or "continue" (deleting a protected resource). */
  onStepError?: (error: unknown) => "cancel" | "continue";
}

export class StepExecutor {
  private busy = 0;
  /** Chains waiting for a worker; `true` hands over a worker, `false` means the executor was cancelled meanwhile. */
  private readonly waiting: ((gotWorker: boolean) => void)[] = [];
  private readonly running = new Set<Promise<void>>();
  private cancelled = false;

  constructor(private readonly opts: StepExecutorOptions) {}

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /**
   * Hands `chain` to a worker. Resolves once a worker took it (or at once, with nothing run, when the executor is
   * cancelled); `done` settles when the chain has ended.
   */
  async submit(chain: Chain): Promise<{ done: Promise<void>; ran: boolean }> {
    if (this.cancelled || !(await this.acquire())) return { done: Promise.resolve(), ran: false };
    const done = this.run(chain);
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
    return { done, ran: true };
  }

  /** Runs each step of an antichain as a chain of its own and waits for all of them (ExecuteParallel). */
  async submitEach(steps: readonly Step[]): Promise<void> {
    const done: Promise<void>[] = [];
    for (const step of steps) done.push((await this.submit([step])).done);
    await Promise.all(done);
  }

  /** Waits until no chain is running (the engine takes its workers' lock before it plans the deletes). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const w of this.waiting.splice(0)) w(false);
  }

  private acquire(): Promise<boolean> {
    if (this.opts.parallel === "unbounded" || this.busy < this.opts.parallel) {
      this.busy++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(true);
    else this.busy--;
  }

  private async run(chain: Chain): Promise<void> {
    try {
      for (const step of chain) {
        if (this.cancelled) return;
        try {
          await step();
        } catch (e) {
          if ((this.opts.onStepError?.(e) ?? "cancel") === "cancel") this.cancel();
          return;
        }
      }
    } finally {
      this.release();
    }
  }
}

/**
 * The step generator's loop: events (a registration, a diff that came back) are handled one at a time, in the order
 * they arrived, each to its end (including handing its chain to the executor) before the next begins.
 */
export class SerialLoop {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  push(handle: () => Promise<void>): void {
    this.pending++;
    this.tail = this.tail
      .then(handle)
      .catch(() => undefined)
      .finally(() => this.pending--);
  }

  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
