/**
 * The documentation: a short README as the front door (the two commands first), reference pages under docs/, and the
 * emulator's own page. On every page, internal links land on a heading, file links exist, and every command a reader
 * is told to run exists (npm scripts, the package's bins). CI runs the test command the README names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { QUIRK_NAMES } from "../../emulator";

const REPO = path.resolve(__dirname, "../..");
const read = (p: string) => fs.readFileSync(path.join(REPO, p), "utf8");
const readme = read("README.md");
const PAGES = [
  "README.md",
  "emulator/README.md",
  ...fs
    .readdirSync(path.join(REPO, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string>; bin: Record<string, string> };

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(md: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let inCode = false;
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) inCode = !inCode;
    const m = inCode ? null : /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\- _]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function links(md: string): string[] {
  const body = md.replace(/```[\s\S]*?```/g, "");
  return [...body.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

test("the README opens with the demo and test commands, before any other section", () => {
  const firstSections = readme.split(/\n## /).slice(0, 2).join("\n");
  expect(firstSections).toContain("npm ci && npm run demo");
  expect(firstSections).toMatch(/^npm test\b/m);
});

test("the README is a short front door that links every reference page", () => {
  expect(readme.split("\n").length).toBeLessThanOrEqual(260);
  for (const page of PAGES.filter((p) => p.startsWith("docs/"))) expect(readme).toContain(`](${page})`);
  expect(readme).toContain("](emulator/README.md)");
});

test.each(PAGES)("%s: internal links land on its headings, file links exist (and their anchors too)", (page) => {
  const text = read(page);
  const dir = path.dirname(page);
  const problems: string[] = [];
  for (const link of links(text)) {
    if (/^[a-z]+:/.test(link)) continue;
    const [file, frag] = link.split("#");
    const target = file === "" ? page : path.normalize(path.join(dir, file));
    if (!fs.existsSync(path.join(REPO, target))) {
      problems.push(`${link}: no file ${target}`);
      continue;
    }
    if (frag !== undefined && target.endsWith(".md") && !anchors(read(target)).has(frag))
      problems.push(`${link}: no heading #${frag} in ${target}`);
  }
  expect(problems).toEqual([]);
});

test.each(PAGES)("%s: every command it names exists (npm scripts and the package's bins)", (page) => {
  const text = read(page);
  const scripts = [...text.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]);
  expect(scripts.filter((s) => !(s in pkg.scripts))).toEqual([]);
  const bins = [...text.matchAll(/npx (quickbi-[\w-]+)/g)].map((m) => m[1]);
  expect(bins.filter((b) => !(b in pkg.bin))).toEqual([]);
});

test("CI runs the README's test command", () => {
  expect(read(".ci/run")).toMatch(/npm test\b/);
});

test("the emulator's page has the table of what the pages leave open, naming every quirk", () => {
  const page = read("emulator/README.md");
  expect(page).toContain("## What the pages leave open");
  for (const q of QUIRK_NAMES) expect(page).toContain(`\`${q}\``);
});

test("the anchor rule itself: a heading with punctuation and a repeated one", () => {
  expect(anchors("## Limits, stated plainly\n## A\n## A")).toEqual(new Set(["limits-stated-plainly", "a", "a-1"]));
});
