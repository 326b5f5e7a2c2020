/**
 * docs/scale.md's bench tables are generated, never edited by hand: the section between the markers equals what
 * `npm run bench:tables` makes of bench/results.json and bench/results-quick.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { currentSection, withSection } from "../../bench/scaleDocFile";
import { README_BEGIN, README_END, readmeSection } from "../../bench/readmeSection";
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

test("the README's scale table (one-user against list form) matches bench/results.json", () => {
  const results = readResults(path.join(REPO, "bench/results.json"));
  if (!results) throw new Error("bench/results.json is missing");
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  const section = currentSection(readme, README_BEGIN, README_END);
  expect(section).toBe(readmeSection(results));
  // The one-user and list-form columns are both filled from the results, not dashes.
  expect(section).toMatch(/\| create \| \d+\.\d s \| \d+\.\d s \| \d+ \| \d+\.\d s \| \d+\.\d s \| \d+ \|/);
});

test("the section is replaced between its markers, the rest of the page kept", () => {
  const readme = `# t\n\nbefore\n${BEGIN}\nold\n${END}\nafter\n`;
  expect(withSection(readme, `${BEGIN}\nnew\n${END}`)).toBe(`# t\n\nbefore\n${BEGIN}\nnew\n${END}\nafter\n`);
  expect(() => currentSection("# no markers")).toThrow(/no generated bench section/);
});
