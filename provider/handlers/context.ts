/**
 * The per-process context every handler shares: services, the access report, the names it shows and the ownership
 * claims. The runtime makes one per provider host; tests make their own around a fake or a real service layer.
 */
import { AccessReporter } from "../report/emit";
import { engineLog as processEngineLog, type EngineLog } from "../report/engineLog";
import { NameDirectory } from "../report/names";
import type { Services } from "../service";
import { CreateJournal, defaultJournalDir } from "./journal";
import type { MembershipContext } from "./membership";
import { Ownership } from "./ownership";

export interface ContextOptions {
  readonly services: () => Services;
  /** Where report lines go (default: the engine that started this host, or stderr). */
  readonly log?: () => EngineLog;
  /** `quickbi:callerUserId`, read at call time. */
  readonly callerUserId?: () => string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Folder of the interrupted-creates journal (default: QUICKBI_JOURNAL_DIR, else .pulumi-quickbi in the cwd). */
  readonly journalDir?: () => string;
}

export function createMembershipContext(o: ContextOptions): MembershipContext {
  const names = new NameDirectory(() => o.services().directory);
  const reporter = new AccessReporter(names, o.log ?? processEngineLog, o.env ?? process.env);
  return {
    services: o.services,
    reporter: () => reporter,
    names,
    ownership: new Ownership(),
    journal: new CreateJournal(o.journalDir ?? defaultJournalDir),
    callerUserId: o.callerUserId ?? (() => undefined),
  };
}
