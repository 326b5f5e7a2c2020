/**
 * `npm run bench:tables`: docs/scale.md's generated bench section, the README's scale table and bench/results.svg from
 * bench/results.json (and bench/results-quick.json when there is one). Run it after `npm run bench`; tests check that
 * both pages match.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderChart } from "./chart";
import { README_BEGIN, README_END, readmeSection } from "./readmeSection";
import { withSection } from "./scaleDocFile";
import { generateSection } from "./scaleSection";
import { readResults } from "./resultsFile";

async function main(): Promise<void> {
  const root = path.resolve(__dirname, "../..");
  const results = readResults(path.join(root, "bench", "results.json"));
  if (!results) throw new Error("bench/results.json is missing: run `npm run bench` first");
  const quick = readResults(path.join(root, "bench", "results-quick.json"));
  const pagePath = path.join(root, "docs", "scale.md");
  fs.writeFileSync(pagePath, withSection(fs.readFileSync(pagePath, "utf8"), generateSection(results, quick)));
  const readmePath = path.join(root, "README.md");
  const readme = fs.readFileSync(readmePath, "utf8");
  fs.writeFileSync(readmePath, withSection(readme, readmeSection(results), README_BEGIN, README_END));
  fs.writeFileSync(path.join(root, "bench", "results.svg"), (await renderChart(results)) + "\n");
  process.stdout.write("docs/scale.md (generated section), README.md (scale table) and bench/results.svg written\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:tables failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
