/**
 * The README is the front door and the single user-facing document: it must start with the two commands, its
 * internal links must land on a heading, its file links must exist, and CI must run the test command it names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { QUIRK_NAMES } from "../../emulator";

const REPO = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");

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

test("every internal link lands on a README heading", () => {
  const have = anchors(readme);
  const internal = links(readme).filter((l) => l.startsWith("#"));
  expect(internal.length).toBeGreaterThan(10);
  expect(internal.map((l) => l.slice(1)).filter((a) => !have.has(a))).toEqual([]);
  // The anchor rule itself: a heading with punctuation and a repeated one.
  expect(anchors("## Limits, stated plainly\n## A\n## A")).toEqual(new Set(["limits-stated-plainly", "a", "a-1"]));
});

test("every relative file link points at a file of the repository", () => {
  const missing = links(readme)
    .filter((l) => !l.startsWith("#") && !/^[a-z]+:/.test(l))
    .map((l) => l.split("#")[0])
    .filter((f) => !fs.existsSync(path.join(REPO, f)));
  expect(missing).toEqual([]);
});

test("CI runs the README's test command", () => {
  const ci = fs.readFileSync(path.join(REPO, ".ci/run"), "utf8");
  expect(ci).toMatch(/npm test\b/);
});

test("the emulator's own page: its internal links land on its headings and its file links exist", () => {
  const page = fs.readFileSync(path.join(REPO, "emulator/README.md"), "utf8");
  const have = anchors(page);
  const all = links(page);
  expect(all.filter((l) => l.startsWith("#")).map((l) => l.slice(1)).filter((a) => !have.has(a))).toEqual([]);
  const files = all.filter((l) => !l.startsWith("#") && !/^[a-z]+:/.test(l));
  expect(files.map((l) => l.split("#")[0]).filter((f) => !fs.existsSync(path.join(REPO, "emulator", f)))).toEqual([]);
  // Links into the main README land on its headings.
  const intoReadme = files.filter((l) => l.startsWith("../README.md#")).map((l) => l.split("#")[1]);
  expect(intoReadme.filter((a) => !anchors(readme).has(a))).toEqual([]);
  // The table the issue asks for, and every quirk named in it.
  expect(page).toContain("## What the pages leave open");
  for (const q of QUIRK_NAMES) expect(page).toContain(`\`${q}\``);
});
