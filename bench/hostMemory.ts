/**
 * Peak resident memory of a provider host process. Linux keeps the high-water mark in /proc/<pid>/status (VmHWM), so
 * polling only has to catch the last value before the process exits; elsewhere the result is null.
 */
import * as fs from "node:fs";

function readHwmKiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export class PeakMemory {
  #peakKiB: number | undefined;
  readonly #timers: ReturnType<typeof setInterval>[] = [];

  /** Starts polling a process (several may be watched; the peak is over all of them). */
  watch(pid: number | undefined, everyMs = 100): void {
    if (pid === undefined) return;
    const sample = (): void => {
      const v = readHwmKiB(pid);
      if (v !== undefined) this.#peakKiB = Math.max(this.#peakKiB ?? 0, v);
    };
    sample();
    const t = setInterval(sample, everyMs);
    t.unref();
    this.#timers.push(t);
  }

  /** Stops polling and starts afresh; MiB or null when nothing could be read. */
  stop(): number | null {
    for (const t of this.#timers.splice(0)) clearInterval(t);
    const peak = this.#peakKiB;
    this.#peakKiB = undefined;
    return peak === undefined ? null : Math.round((peak / 1024) * 10) / 10;
  }
}
