/**
 * Peak resident memory of the provider hosts an operation starts. On the CLI the host is a grandchild of this process
 * (CLI → `pulumi-resource-pulumi-nodejs` → node), on the driver a child, so the watcher scans /proc for descendants
 * of this process running @pulumi/pulumi's dynamic-provider host. Linux keeps the high-water mark in
 * /proc/<pid>/status (VmHWM), so polling only has to catch each host once before it exits; elsewhere the result is
 * null.
 */
import * as fs from "node:fs";

const HOST_COMMAND = /cmd[/\\]dynamic-provider/;

function readHwmKiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** pid → parent pid of every process now (empty where /proc is missing). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.set(Number(e), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Descendants of `root` whose command line runs the dynamic-provider host. */
export function providerHosts(root: number = process.pid): number[] {
  const pp = parents();
  const isDescendant = (pid: number): boolean => {
    for (let p = pp.get(pid), hops = 0; p !== undefined && hops < 64; p = pp.get(p), hops++)
      if (p === root) return true;
    return false;
  };
  const out: number[] = [];
  for (const pid of pp.keys()) {
    if (!isDescendant(pid)) continue;
    try {
      if (HOST_COMMAND.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"))) out.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Watches the provider hosts under this process during one operation; the peak is over all of them. */
export class HostMemoryWatcher {
  #peakKiB: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Polls the hosts' memory every `everyMs`; looks for hosts at every poll until one is found, then every `scanEvery`. */
  start(everyMs = 200, scanEvery = 5): void {
    this.stop();
    this.#peakKiB = undefined;
    let known: number[] = [];
    let tick = 0;
    const sample = (): void => {
      if (known.length === 0 || tick % scanEvery === 0) known = [...new Set([...known, ...providerHosts()])];
      tick++;
      for (const pid of known) {
        const v = readHwmKiB(pid);
        if (v !== undefined) this.#peakKiB = Math.max(this.#peakKiB ?? 0, v);
      }
    };
    sample();
    this.#timer = setInterval(sample, everyMs);
    this.#timer.unref();
  }

  /** Stops polling; MiB or null when no host could be read. */
  stop(): number | null {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const peak = this.#peakKiB;
    return peak === undefined ? null : Math.round((peak / 1024) * 10) / 10;
  }
}
