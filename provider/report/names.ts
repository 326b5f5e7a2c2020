/**
 * What the access report calls people and roles, from memory. Check and diff run one resource at a time in the
 * engine, so the report they emit never waits for Quick BI: it shows ids at once and the nicknames (and custom role
 * names) this process already knows. Names come from every roster the provider reads, from the users it creates, and
 * from one paged listing of the organization started in the background the first time a name is missing; a name
 * learnt later shows from then on (and in the report file's enriched copy of the entry).
 *
 * A nickname the program passed as a secret is never shown, whichever way it became known.
 */

/** Where names come from: Quick BI reads the report may start in the background. */
export interface NameSource {
  /** Every organization user's nickname (one paged listing). */
  organizationNickNames(): Promise<ReadonlyMap<string, string>>;
  /** Role id → name in the workspace (custom roles included). */
  workspaceRoleNames(workspaceId: string): Promise<ReadonlyMap<number, string>>;
}

const RETRY_AFTER_MS = 5000;

export class NameDirectory {
  readonly #nickNames = new Map<string, string>();
  readonly #secret = new Set<string>();
  readonly #roleNames = new Map<string, ReadonlyMap<number, string>>();
  readonly #roleReads = new Map<string, Promise<void>>();
  #listing: Promise<void> | undefined;
  #listed = false;
  #failedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly source: () => NameSource) {}

  /** Names seen by the provider itself (rosters, created users). */
  remember(names: Iterable<readonly [string, string | undefined]>): void {
    for (const [id, name] of names) if (name) this.#nickNames.set(id, name);
  }

  /** The user's nickname came from a secret input: never show it. */
  markSecret(userId: string): void {
    this.#secret.add(userId);
  }

  /** Which of these users have a secret nickname (a membership keeps them in state for its later delete). */
  secretAmong(userIds: Iterable<string>): string[] {
    if (this.#secret.size === 0) return [];
    return [...userIds].filter((u) => this.#secret.has(u));
  }

  /** The nickname to show for `userId` now, if any; starts the organization listing when one is missing. */
  nickName(userId: string): string | undefined {
    if (this.#secret.has(userId)) return undefined;
    const name = this.#nickNames.get(userId);
    if (name === undefined) this.fill();
    return name;
  }

  /** The workspace's name for a role id now, if known; starts reading the workspace's roles otherwise. */
  roleName(workspaceId: string, roleId: number): string | undefined {
    const names = this.#roleNames.get(workspaceId);
    if (names === undefined) this.readRoles(workspaceId);
    return names?.get(roleId);
  }

  /** The workspace's roles, read once per process (also used by check to validate custom role ids). */
  workspaceRoles(workspaceId: string): Promise<ReadonlyMap<number, string>> {
    return this.readRoles(workspaceId).then(() => this.#roleNames.get(workspaceId) ?? new Map());
  }

  /** Settles when the background reads under way have ended (tests, and the report file's enriched lines). */
  settled(): Promise<void> {
    return Promise.all([this.#listing, ...this.#roleReads.values()]).then(() => undefined);
  }

  /** Starts the one organization listing of this process (a failure is retried by the next missing name). */
  fill(): Promise<void> {
    // After a failed listing (no credentials yet, Quick BI unreachable), the report goes on with ids for a while.
    if (this.#listed || Date.now() - this.#failedAt < RETRY_AFTER_MS) return Promise.resolve();
    this.#listing ??= Promise.resolve()
      .then(() => this.source().organizationNickNames())
      .then(
        (all) => {
          for (const [id, name] of all) if (!this.#nickNames.has(id)) this.#nickNames.set(id, name);
          this.#listed = true;
        },
        () => {
          this.#failedAt = Date.now();
        },
      )
      .finally(() => {
        this.#listing = undefined;
      });
    return this.#listing;
  }

  private readRoles(workspaceId: string): Promise<void> {
    let pending = this.#roleReads.get(workspaceId);
    if (pending === undefined) {
      pending = Promise.resolve()
        .then(() => this.source().workspaceRoleNames(workspaceId))
        .then(
          (names) => {
            this.#roleNames.set(workspaceId, names);
          },
          () => {
            // Unreadable now: a later report asks again.
            this.#roleReads.delete(workspaceId);
          },
        );
      this.#roleReads.set(workspaceId, pending);
    }
    return pending;
  }
}
