/**
 * The chart: every measured run is a point, the floor's calls are the lower bound, and bench/results.svg is what the
 * committed results draw (so it is never stale or hand-made).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { chartPoints, renderChart } from "../../bench/chart";
import { readResults } from "../../bench/resultsFile";

const REPO = path.resolve(__dirname, "../..");

test("bench/results.svg is the chart of bench/results.json", async () => {
  const results = readResults(path.join(REPO, "bench/results.json"));
  if (!results) throw new Error("bench/results.json is missing");
  const svg = fs.readFileSync(path.join(REPO, "bench/results.svg"), "utf8");
  expect(svg).toBe((await renderChart(results)) + "\n");
}, 60_000);

test("every run but the list-form twin gives a calls point and a wall point; the floor's calls are the lower bound", () => {
  const results = readResults(path.join(REPO, "bench/results.json"))!;
  const points = chartPoints(results);
  const charted = results.runs.filter((r) => r.scenario !== "one-user-lists");
  expect(points).toHaveLength(2 * charted.length);
  const floor = charted.find((r) => r.mode === "null")!;
  const lb = results.lowerBounds
    .filter((b) => b.scenario === floor.scenario && b.users === floor.users)
    .reduce((n, b) => n + b.total, 0);
  expect(
    points
      .filter(
        (p) =>
          p.users === floor.users &&
          p.series.startsWith("floor") &&
          p.metric.startsWith("API calls") &&
          p.panel === `${floor.scenario}, ${floor.parallelism} parallelism` &&
          p.engine.startsWith(floor.engine === "cli" ? "Pulumi" : "offline"),
      )
      .map((p) => p.value),
  ).toEqual([lb]);
});
