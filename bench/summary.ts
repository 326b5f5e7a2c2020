/** The lines `npm run bench` prints at the end: one per run and phase, with the floor and the lower bound beside. */
import { floorOf, lowerBoundOf } from "./derive";
import type { BenchResults } from "./results";

const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function formatSummary(r: BenchResults): string {
  const lines = [
    `pulumi-quickbi bench${r.quick ? " (--quick)" : ""}: ${r.runs.length} runs in ${(r.durationMs / 60_000).toFixed(1)} min; ` +
      `emulator ${r.emulator.latencyMs}+0..${r.emulator.jitterMs} ms, ${r.emulator.qps} QPS (burst ${r.emulator.burst}); ` +
      `client maxQps ${r.client.maxQps}; node ${r.machine.node}, ${r.machine.cpus} CPUs${r.cli ? `; Pulumi CLI ${r.cli.version}` : ""}`,
    "",
    [
      "run".padEnd(44),
      "phase".padEnd(13),
      "wall".padStart(8),
      "÷floor".padStart(7),
      "calls".padStart(7),
      "bound".padStart(6),
      "thr".padStart(5),
      "fail".padStart(5),
      "RSS".padStart(7),
      "chk p99".padStart(8),
      "diff p99".padStart(9),
    ].join(""),
  ];
  for (const run of r.runs) {
    for (const p of run.phases) {
      const floor = floorOf(r, run, p.phase);
      const lb = lowerBoundOf(r, run, p.phase);
      lines.push(
        [
          `${run.scenario} ${run.users} ${run.engine} ${run.parallelism} ${run.mode}`.padEnd(44),
          p.phase.padEnd(13),
          s(p.wallMs).padStart(8),
          (floor && run.mode !== "null" ? `${(p.wallMs / floor.wallMs).toFixed(2)}x` : "").padStart(7),
          String(p.apiCalls).padStart(7),
          String(lb?.total ?? "").padStart(6),
          String(p.throttled).padStart(5),
          String(p.failedOperations).padStart(5),
          String(p.hostPeakRssMiB ?? "–").padStart(7),
          (p.trace?.check ? `${p.trace.check.p99Ms}` : "").padStart(8),
          (p.trace?.diff ? `${p.trace.diff.p99Ms}` : "").padStart(9),
        ].join(""),
      );
    }
  }
  return lines.join("\n");
}
