/**
 * bench/results.svg: API calls and wall time against users, for baseline, coalesced and the floor (the null
 * provider; for calls, the lower bound), every phase of a scenario summed. One column per scenario and parallelism;
 * the real CLI solid, the offline driver dashed. Drawn by Vega-Lite (compiled to Vega, rendered to SVG headless).
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { BenchResults, Mode } from "./results";

interface Point {
  panel: string;
  metric: string;
  series: string;
  engine: string;
  users: number;
  value: number;
}

const SERIES: Record<Mode, string> = {
  baseline: "baseline (coalesce=false)",
  coalesced: "coalesced (default)",
  null: "floor: null provider / lower bound",
};
const METRICS = { calls: "API calls (all phases)", wall: "wall time, s (all phases)" };

export function chartPoints(r: BenchResults): Point[] {
  const out: Point[] = [];
  for (const run of r.runs) {
    if (run.scenario === "one-user-lists") continue;
    const panel = `${run.scenario}, ${run.parallelism} parallelism`;
    const engine = run.engine === "cli" ? "Pulumi CLI (solid)" : "offline driver (dashed)";
    const wall = run.phases.reduce((n, p) => n + p.wallMs, 0) / 1000;
    out.push({
      panel,
      metric: METRICS.wall,
      series: SERIES[run.mode],
      engine,
      users: run.users,
      value: Math.round(wall * 10) / 10,
    });
    const calls =
      run.mode === "null"
        ? r.lowerBounds
            .filter((b) => b.scenario === run.scenario && b.users === run.users)
            .reduce((n, b) => n + b.total, 0)
        : run.phases.reduce((n, p) => n + p.apiCalls, 0);
    out.push({
      panel,
      metric: METRICS.calls,
      series: SERIES[run.mode],
      engine,
      users: run.users,
      value: Math.max(1, calls),
    });
  }
  return out;
}

export function chartSpec(r: BenchResults): vl.TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: `pulumi-quickbi bench, ${r.startedAt.slice(0, 10)}: API calls and wall time against users`,
      anchor: "start",
    },
    data: { values: chartPoints(r) },
    facet: {
      row: { field: "metric", type: "nominal", title: null },
      column: { field: "panel", type: "nominal", title: null },
    },
    spec: {
      width: 190,
      height: 170,
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "users",
          type: "quantitative",
          scale: { type: "log" },
          axis: { values: [...new Set(r.runs.map((x) => x.users))], title: "users" },
        },
        y: { field: "value", type: "quantitative", scale: { type: "log" }, title: null },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          scale: { range: ["#d62728", "#1f77b4", "#7f7f7f"] },
          legend: { symbolType: "stroke", symbolStrokeWidth: 2, symbolSize: 300 },
        },
        strokeDash: { field: "engine", type: "nominal", title: null, legend: null },
        shape: { field: "engine", type: "nominal", title: null, scale: { range: ["circle", "triangle-up"] } },
        detail: { field: "engine" },
      },
    },
    resolve: { scale: { y: "independent" } },
    config: { legend: { orient: "bottom", direction: "vertical", labelLimit: 400 } },
  };
}

export async function renderChart(r: BenchResults): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(chartSpec(r)).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
