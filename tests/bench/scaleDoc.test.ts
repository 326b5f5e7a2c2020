/**
 * docs/scale.md's bench tables are generated, never edited by hand: the section between the markers equals what
 * `npm run bench:tables` makes of bench/results.json and bench/results-quick.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { currentSection, withSection } from "../../bench/scaleDocFile";
import { BEGIN, END, generateSection } from "../../bench/scaleSection";
import { readResults } from "../../bench/resultsFile";

const REPO = path.resolve(__dirname, "../..");

test("docs/scale.md's generated bench section matches bench/results.json", () => {
  const results = readResults(path.join(REPO, "bench/results.json"));
  if (!results) throw new Error("bench/results.json is missing");
  const quick = readResults(path.join(REPO, "bench/results-quick.json"));
  const readme = fs.readFileSync(path.join(REPO, "docs", "scale.md"), "utf8");
  expect(currentSection(readme)).toBe(generateSection(results, quick));
});

test("the section is replaced between its markers, the rest of the page kept", () => {
  const readme = `# t\n\nbefore\n${BEGIN}\nold\n${END}\nafter\n`;
  expect(withSection(readme, `${BEGIN}\nnew\n${END}`)).toBe(`# t\n\nbefore\n${BEGIN}\nnew\n${END}\nafter\n`);
  expect(() => currentSection("# no markers")).toThrow(/no generated bench section/);
});
