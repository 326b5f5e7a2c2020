/** The side-by-side table `npm run bench` prints (baseline = coalescing off, one call per membership). */
import type { BenchResults } from "./results";

function cell(v: string | number | null, width: number): string {
  return String(v ?? "–").padStart(width);
}

function topActions(byAction: Record<string, number>, n = 3): string {
  return Object.entries(byAction)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([a, c]) => `${a} ${c}`)
    .join(", ");
}

export function formatTable(r: BenchResults): string {
  const lines: string[] = [];
  const s = r.scenario;
  lines.push(
    `pulumi-quickbi bench${r.quick ? " (--quick)" : ""}: ${s.users} users, ${s.workspaces} workspaces, ${s.groups} groups; ` +
      `${s.perUserWorkspace} + ${s.perUserGroup} one-per-user resources, ${s.listWorkspace} + ${s.listGroup} list resources, ${s.memberships} memberships`,
  );
  lines.push(
    `emulator latency ${r.emulator.latencyMs}+0..${r.emulator.jitterMs} ms, flow control ${r.emulator.qps} QPS (burst ${r.emulator.burst}); ` +
      `client maxQps ${r.client.maxQps}, maxRetries ${r.client.maxRetries}, quiet gap ${r.client.batchWindowMs} ms; node ${r.machine.node}, ${r.machine.cpus} CPUs`,
  );
  const floor = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  lines.push(
    `the program alone (Pulumi SDK, instant answers, no provider): create ${floor(r.programAloneMs.initial)}, ` +
      `change-roles ${floor(r.programAloneMs["roles-changed"])} (no engine finishes an up sooner)`,
  );
  for (const cmp of [...new Set(r.runs.map((x) => x.concurrency))]) {
    const off = r.runs.find((x) => x.concurrency === cmp && !x.coalesce)!;
    const on = r.runs.find((x) => x.concurrency === cmp && x.coalesce)!;
    lines.push("");
    lines.push(`engine concurrency: ${cmp}`);
    lines.push(
      [
        "phase".padEnd(13),
        cell("calls off", 10),
        cell("on", 7),
        cell("ratio", 7),
        cell("wall off", 10),
        cell("on", 8),
        cell("ratio", 7),
        cell("thr off", 8),
        cell("on", 5),
        cell("fail", 5),
        cell("on", 4),
        cell("RSS off", 8),
        cell("on", 6),
        "  coalesced calls",
      ].join(""),
    );
    off.phases.forEach((p, i) => {
      const q = on.phases[i];
      const cmpRow = r.comparisons.find((c) => c.concurrency === cmp && c.phase === p.phase);
      lines.push(
        [
          p.phase.padEnd(13),
          cell(p.apiCalls, 10),
          cell(q.apiCalls, 7),
          cell(cmpRow?.callsRatio != null ? `${cmpRow.callsRatio}x` : null, 7),
          cell(`${(p.wallMs / 1000).toFixed(1)}s`, 10),
          cell(`${(q.wallMs / 1000).toFixed(1)}s`, 8),
          cell(cmpRow?.wallRatio != null ? `${cmpRow.wallRatio}x` : null, 7),
          cell(p.throttled, 8),
          cell(q.throttled, 5),
          cell(p.failedOperations, 5),
          cell(q.failedOperations, 4),
          cell(p.hostPeakRssMiB, 8),
          cell(q.hostPeakRssMiB, 6),
          `  ${topActions(q.callsByAction)}`,
        ].join(""),
      );
    });
  }
  return lines.join("\n");
}
