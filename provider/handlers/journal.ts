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
}

export class CreateJournal {
  /** Identifies this provider process's lines: its own intents never count as "earlier". */
  readonly #run = randomUUID();
  readonly #stacks = new Map<string, StackJournal>();
  /** URNs this process wrote intents for (settled by later calls in this same process, e.g. a shared test host). */
  readonly #mine = new Set<string>();

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
    this.append(urn, { t: "known", urn });
  }

  private fileFor(urn: string): string {
    const name = createHash("sha256").update(stackOf(urn)).digest("hex").slice(0, 16);
    return path.join(this.dir(), `interrupted-creates-${name}.jsonl`);
  }

  private append(urn: string, line: Line): void {
    const file = this.load(urn).file;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, JSON.stringify(line) + "\n");
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
    const j: StackJournal = { file, unsettled };
    this.#stacks.set(stack, j);
    // Keep the file small: rewrite it with what is still unsettled when most of it is history.
    if (lines.length > 200 && lines.length > 4 * [...unsettled.values()].reduce((n, s) => n + s.size, 0))
      this.compact(j);
    return j;
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
