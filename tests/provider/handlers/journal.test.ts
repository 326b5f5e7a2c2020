/**
 * The create journal across provider processes (each CreateJournal is one process): intents are written at once, the
 * "known" lines that settle them are held until the end of the event-loop turn and written together, and a process
 * that only settled compacts the file it leaves.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateJournal } from "../../../provider/handlers/journal";

const URN = (name: string) => `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/quickbi:WorkspaceMembership::${name}`;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-test-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileLines(): string[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
  expect(files).toHaveLength(1);
  return fs
    .readFileSync(path.join(dir, files[0]), "utf8")
    .split("\n")
    .filter((l) => l !== "");
}

test("an interrupted create's intent is seen by the next process until a later call settles it", async () => {
  new CreateJournal(() => dir).intend(URN("m1"), ["k1"]);
  const second = new CreateJournal(() => dir);
  expect(second.ours(URN("m1"), "k1")).toBe(true);
  second.known(URN("m1"));
  await turn();
  expect(new CreateJournal(() => dir).ours(URN("m1"), "k1")).toBe(false);
});

test("known lines wait for the end of the turn", async () => {
  const first = new CreateJournal(() => dir);
  for (let i = 0; i < 5; i++) first.intend(URN(`m${i}`), [`k${i}`]);
  const second = new CreateJournal(() => dir);
  for (let i = 0; i < 5; i++) second.known(URN(`m${i}`));
  expect(fileLines().filter((l) => l.includes('"known"'))).toHaveLength(0);
  await turn();
  expect(fileLines().filter((l) => l.includes('"known"'))).toHaveLength(5);
});

test("an intent written while known lines are held back lands after them", async () => {
  new CreateJournal(() => dir).intend(URN("m1"), ["old"]);
  const second = new CreateJournal(() => dir);
  second.known(URN("m1"));
  // Replaced in the same turn: the new create's intent must not be settled by the earlier "known".
  second.intend(URN("m1"), ["new"]);
  await turn();
  const third = new CreateJournal(() => dir);
  expect(third.ours(URN("m1"), "old")).toBe(false);
  expect(third.ours(URN("m1"), "new")).toBe(true);
});

test("a process that only settled leaves a compacted file; one that wrote intents leaves its lines", async () => {
  const first = new CreateJournal(() => dir);
  for (let i = 0; i < 300; i++) first.intend(URN(`m${i}`), [`k${i}`]);
  first.intend(URN("late"), ["kl"]);

  const settling = new CreateJournal(() => dir);
  for (let i = 0; i < 300; i++) settling.known(URN(`m${i}`));
  await turn();
  // Only the one unsettled intent is left: the next host reads one line, not six hundred.
  expect(fileLines()).toHaveLength(1);
  expect(new CreateJournal(() => dir).ours(URN("late"), "kl")).toBe(true);

  const creating = new CreateJournal(() => dir);
  for (let i = 0; i < 300; i++) creating.intend(URN(`n${i}`), [`j${i}`]);
  for (let i = 0; i < 300; i++) creating.known(URN(`n${i}`));
  creating.intend(URN("last"), ["kz"]);
  await turn();
  // Its own intents are not in what it loaded, so it never compacts; the next process still sees them.
  expect(fileLines().length).toBeGreaterThan(600);
  const next = new CreateJournal(() => dir);
  expect(next.ours(URN("last"), "kz")).toBe(true);
  expect(next.ours(URN("late"), "kl")).toBe(true);
  expect(next.ours(URN("n5"), "j5")).toBe(false);
});
