/**
 * Creates whose outcome the engine may never have recorded. When `pulumi up` is killed (SIGKILL, a crashed CI runner)
 * a create that was under way may have landed in Quick BI, yet the stack's state does not have it: the next `up`
 * creates the resource again (after `pulumi refresh --clear-pending-creates`, or as a pending create), and Quick BI
 * answers "already exists". Without more knowledge the provider must then refuse (it cannot tell its own interrupted
 * write from someone else's object, which `adopt: true` exists for).
 *
 * This journal is that knowledge. Before a create writes, it notes the intent (resource URN and the memberships or
 * account it is about to create); after, the outcome. Any later call for the same URN other than create (diff, read,
 * update, delete) shows the engine has the resource, and settles its entries. So when a create meets "already exists"
 * for an object that an EARLIER provider process of the same resource set out to create, and whose resource the
 * engine never came back to, the object is this resource's own: it is taken over without `adopt`.
 *
 * The journal is a JSON-lines file per stack under `<project dir>/.pulumi-quickbi/` (the provider host runs in the
 * project directory), or under `QUICKBI_JOURNAL_DIR`. It holds URNs and Quick BI ids, nothing secret.
 */
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

export const JOURNAL_DIR_ENV = "QUICKBI_JOURNAL_DIR";

const LineSchema = z.discriminatedUnion("t", [
  z.object({ t: z.literal("intent"), run: z.string(), urn: z.string(), keys: z.array(z.string()), at: z.number() }),
  z.object({ t: z.literal("refused"), run: z.string(), urn: z.string(), keys: z.array(z.string()) }),
  z.object({ t: z.literal("known"), urn: z.string() }),
]);
type Line = z.infer<typeof LineSchema>;

/** Entries older than this are dropped when the file is compacted (an interrupted run is retried sooner than that). */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** `urn:pulumi:<stack>::<project>`, everything before the URN's second `::`: one file per stack. */
function stackOf(urn: string): string {
  const second = urn.indexOf("::", urn.indexOf("::") + 2);
  return second < 0 ? urn : urn.slice(0, second);
}

interface StackJournal {
  readonly file: string;
  /** URN → keys an earlier process set out to create and nobody settled. */
  readonly unsettled: Map<string, Set<string>>;
  /** Lines in the file as far as this process knows (read, plus appended since). */
  lines: number;
  /** This process wrote intents or refusals, which `unsettled` does not hold: only a new process may compact. */
  wrote: boolean;
}

export class CreateJournal {
  /** Identifies this provider process's lines: its own intents never count as "earlier". */
  readonly #run = randomUUID();
  readonly #stacks = new Map<string, StackJournal>();
  /** URNs this process wrote intents for (settled by later calls in this same process, e.g. a shared test host). */
  readonly #mine = new Set<string>();
  /** "known" lines not written yet, per file: written together at the end of the event-loop turn (see `known`). */
  readonly #pending = new Map<StackJournal, string[]>();
  #flushScheduled = false;

  constructor(private readonly dir: () => string) {}

  /** Before a create writes: these keys (memberships, an account) are about to be created for `urn`. */
  intend(urn: string | undefined, keys: readonly string[]): void {
    if (urn === undefined || keys.length === 0) return;
    this.#mine.add(urn);
    this.append(urn, { t: "intent", run: this.#run, urn, keys: [...keys], at: Date.now() });
  }

  /** These keys existed already and were not this resource's: never take them over later on the journal's word. */
  refused(urn: string | undefined, keys: readonly string[]): void {
    if (urn === undefined || keys.length === 0) return;
    this.append(urn, { t: "refused", run: this.#run, urn, keys: [...keys] });
  }

  /** Whether an earlier, unsettled create of `urn` set out to create `key`. */
  ours(urn: string | undefined, key: string): boolean {
    if (urn === undefined) return false;
    return this.load(urn).unsettled.get(urn)?.has(key) === true;
  }

  /** The engine has `urn` in its state (a call other than create came for it): its entries are done with. */
  known(urn: string | undefined): void {
    if (urn === undefined) return;
    const j = this.load(urn);
    if (!j.unsettled.has(urn) && !this.#mine.has(urn)) return;
    j.unsettled.delete(urn);
    this.#mine.delete(urn);
    // Not written at once: the engine sends a diff or read for every resource of a stack, so the first run after a
    // large create settles thousands of URNs, one write each. Losing these lines (the process dies first) only
    // leaves entries unsettled, which a later create of the same URN never meets (the resource is in the state).
    const lines = this.#pending.get(j) ?? [];
    lines.push(JSON.stringify({ t: "known", urn } satisfies Line) + "\n");
    this.#pending.set(j, lines);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.once("exit", this.#flushOnExit);
      setImmediate(() => this.flush());
    }
  }

  /** Writes the "known" lines still held back. */
  flush(): void {
    this.#flushScheduled = false;
    process.off("exit", this.#flushOnExit);
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [j, lines] of pending) {
      this.write(j.file, lines.join(""));
      j.lines += lines.length;
      // The run that settles a large create's URNs leaves a file that is all history; the next host would read it.
      if (!j.wrote) this.compactIfHistory(j);
    }
  }

  readonly #flushOnExit = (): void => this.flush();

  private fileFor(urn: string): string {
    const name = createHash("sha256").update(stackOf(urn)).digest("hex").slice(0, 16);
    return path.join(this.dir(), `interrupted-creates-${name}.jsonl`);
  }

  private append(urn: string, line: Line): void {
    // Lines held back go first: an intent written after a "known" of the same URN must stay after it.
    if (this.#pending.size > 0) this.flush();
    const j = this.load(urn);
    this.write(j.file, JSON.stringify(line) + "\n");
    j.lines++;
    j.wrote = true;
  }

  private write(file: string, text: string): void {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, text);
    } catch {
      // Without a journal the provider only loses the ability to recognise its own interrupted creates.
    }
  }

  private load(urn: string): StackJournal {
    const stack = stackOf(urn);
    const cached = this.#stacks.get(stack);
    if (cached !== undefined) return cached;
    const file = this.fileFor(urn);
    const lines: Line[] = [];
    try {
      for (const text of fs.readFileSync(file, "utf8").split("\n")) {
        if (text.trim() === "") continue;
        try {
          const r = LineSchema.safeParse(JSON.parse(text));
          if (r.success) lines.push(r.data);
        } catch {
          // A torn last line (the process died while appending): skip it.
        }
      }
    } catch {
      // No journal yet.
    }
    const unsettled = new Map<string, Set<string>>();
    const now = Date.now();
    for (const l of lines) {
      if (l.t === "intent" && l.run !== this.#run && now - l.at < MAX_AGE_MS) {
        const keys = unsettled.get(l.urn) ?? new Set<string>();
        for (const k of l.keys) keys.add(k);
        unsettled.set(l.urn, keys);
      } else if (l.t === "refused") {
        for (const k of l.keys) unsettled.get(l.urn)?.delete(k);
      } else if (l.t === "known") {
        unsettled.delete(l.urn);
      }
    }
    const j: StackJournal = { file, unsettled, lines: lines.length, wrote: false };
    this.#stacks.set(stack, j);
    this.compactIfHistory(j);
    return j;
  }

  /** Keeps the file small: rewrites it with what is still unsettled when most of it is history. */
  private compactIfHistory(j: StackJournal): void {
    if (j.lines > 200 && j.lines > 4 * [...j.unsettled.values()].reduce((n, s) => n + s.size, 0)) this.compact(j);
  }

  private compact(j: StackJournal): void {
    const text = [...j.unsettled]
      .map(
        ([urn, keys]) => JSON.stringify({ t: "intent", run: "compacted", urn, keys: [...keys], at: Date.now() }) + "\n",
      )
      .join("");
    try {
      const tmp = `${j.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, j.file);
      j.lines = j.unsettled.size;
    } catch {
      // Compaction is an optimisation.
    }
  }
}

/** The journal's folder: `QUICKBI_JOURNAL_DIR`, else `.pulumi-quickbi` in the directory the host runs in. */
export function defaultJournalDir(): string {
  return process.env[JOURNAL_DIR_ENV] || path.join(process.cwd(), ".pulumi-quickbi");
}

/** Keys of what a create makes. */
export const journalKey = {
  workspace: (workspaceId: string, userId: string, roleId: number) =>
    `ws\u0000${workspaceId}\u0000${userId}\u0000${roleId}`,
  group: (userGroupId: string, userId: string) => `grp\u0000${userGroupId}\u0000${userId}`,
  account: (account: string) => `acct\u0000${account}`,
};
