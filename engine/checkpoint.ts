// When the state file is written, as the file backend's snapshot manager does it (pkg/backend/snapshot.go): after
// every mutation of the snapshot (a provider call about to start, recorded as pending; a step's result), one write
// at a time, and the step goes on only once its write is done. So a driver killed mid-apply loses nothing that
// completed, and, as under the CLI, each step pays for rewriting the whole file (the cost grows with the stack).
// Same steps change nothing that must be written (the write is elided, done by the next one); PULUMI_SKIP_CHECKPOINTS
// writes only at the end; a preview writes nothing.
import * as fs from "node:fs";
import * as path from "node:path";
import { StateSerializer, type State } from "./state";

export interface CheckpointOptions {
  /** false for a preview. */
  persist: boolean;
  /** false with PULUMI_SKIP_CHECKPOINTS=true: only the final write. */
  everyStep: boolean;
}

let tmpSeq = 0;

export class Checkpoint {
  /** Writes done so far. */
  writes = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly serializer = new StateSerializer();

  constructor(
    private readonly file: string,
    private readonly snapshot: () => State,
    private readonly opts: CheckpointOptions,
  ) {}

  /** A mutation of the snapshot: resolves once it is on disk (or at once when it is not to be written now). */
  mutated(): Promise<void> {
    return this.opts.persist && this.opts.everyStep ? this.enqueue() : Promise.resolve();
  }

  /** The last write of an operation, however it ended (the snapshot manager's Close). */
  close(): Promise<void> {
    return this.opts.persist ? this.enqueue() : Promise.resolve();
  }

  private enqueue(): Promise<void> {
    const write = this.queue.catch(() => undefined).then(() => this.write());
    this.queue = write;
    return write;
  }

  private async write(): Promise<void> {
    const text = this.serializer.serialize(this.snapshot());
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.${tmpSeq++}.tmp`);
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, this.file);
    this.writes++;
  }
}
