import { qbError } from "./codes";
import { freshId, IdSource } from "./ids";
import { matchesKeyword } from "./paging";
import type { Seed } from "./seed";
import { USER_TYPE, Workspace } from "./types";
import { Users } from "./users";
import { assertMaxLength } from "./validation";

export interface CreateWorkspaceInput {
  workspaceName: string;
  workspaceDescription?: string;
  ownerUserId?: string;
  allowShare?: boolean;
  allowPublish?: boolean;
}

/** The organization's group workspaces: names, owners, switches. Who is a member lives in `WorkspaceMembers`. */
export class Workspaces {
  private readonly workspaces = new Map<string, Workspace>();

  constructor(
    private readonly users: Users,
    private readonly ids: IdSource,
    private readonly now: () => number,
    private readonly maxWorkspaces: number | undefined,
  ) {}

  load(seed: Seed, loadedAt: number): void {
    for (const w of seed.workspaces) {
      if (this.workspaces.has(w.workspaceId)) throw new Error(`seed: duplicate workspace ${w.workspaceId}`);
      this.users.requireSeedUser(w.ownerUserId, `owner of workspace ${w.workspaceId}`);
      this.workspaces.set(w.workspaceId, {
        workspaceId: w.workspaceId,
        workspaceName: w.workspaceName,
        workspaceDescription: w.workspaceDescription,
        ownerUserId: w.ownerUserId,
        createUserId: w.ownerUserId,
        modifyUserId: w.ownerUserId,
        createTime: w.createTime ?? loadedAt,
        modifiedTime: w.modifiedTime ?? w.createTime ?? loadedAt,
        allowShare: w.allowShare ?? true,
        allowPublish: w.allowPublish ?? true,
        personal: w.personal ?? false,
      });
    }
  }

  toSeed(): Seed["workspaces"] {
    return [...this.workspaces.values()].map((w) => ({
      workspaceId: w.workspaceId,
      workspaceName: w.workspaceName,
      ...(w.workspaceDescription !== undefined ? { workspaceDescription: w.workspaceDescription } : {}),
      ownerUserId: w.ownerUserId,
      ...(w.allowShare ? {} : { allowShare: false }),
      ...(w.allowPublish ? {} : { allowPublish: false }),
      ...(w.personal ? { personal: true } : {}),
      createTime: w.createTime,
      modifiedTime: w.modifiedTime,
    }));
  }

  /** `httpStatus`: AddWorkspaceUsers documents `Workspace.Not.Exist` under HTTP 500. */
  get(workspaceId: string, httpStatus = 400): Workspace {
    const w = this.workspaces.get(workspaceId);
    if (!w) throw qbError("Workspace.Not.Exist", [], httpStatus);
    return w;
  }

  /** A workspace membership writes may change: it exists and is a group workspace, not a personal one. */
  getGroupWorkspace(workspaceId: string, httpStatus = 400): Workspace {
    const w = this.get(workspaceId, httpStatus);
    if (w.personal) throw qbError("Workspace.Type.Error");
    return w;
  }

  has(workspaceId: string): boolean {
    return this.workspaces.has(workspaceId);
  }

  all(): Workspace[] {
    return [...this.workspaces.values()];
  }

  /** Workspaces by name substring. */
  list(keyword?: string): Workspace[] {
    return this.all().filter((w) => matchesKeyword(keyword, w.workspaceName));
  }

  ownedBy(userId: string): boolean {
    return this.all().some((w) => w.ownerUserId === userId);
  }

  /** CreateWorkspace: the owner (the caller, else the organization owner) must be a developer-type user. */
  create(input: CreateWorkspaceInput): Workspace {
    assertMaxLength("WorkspaceName", input.workspaceName, 255);
    if (input.workspaceDescription !== undefined)
      assertMaxLength("WorkspaceDescription", input.workspaceDescription, 255);
    const ownerUserId = input.ownerUserId ?? this.users.ownerUserId;
    if (ownerUserId === undefined) throw qbError("System.Param.Empty", ["UserId"]);
    const owner = this.users.get(ownerUserId);
    if (owner.userType !== USER_TYPE.developer) throw qbError("Invalid.User.Admin");
    if (this.all().some((w) => w.workspaceName === input.workspaceName)) {
      throw qbError("Duplicate.WorkSpaceName.Error", [input.workspaceName]);
    }
    if (this.maxWorkspaces !== undefined && this.workspaces.size >= this.maxWorkspaces) {
      throw qbError("CreateWorkspace.Exceeds.Limits", [this.maxWorkspaces]);
    }
    const t = this.now();
    const w: Workspace = {
      workspaceId: freshId(
        () => this.ids.uuid(),
        (id) => this.workspaces.has(id),
      ),
      workspaceName: input.workspaceName,
      workspaceDescription: input.workspaceDescription,
      ownerUserId,
      createUserId: ownerUserId,
      modifyUserId: ownerUserId,
      createTime: t,
      modifiedTime: t,
      allowShare: input.allowShare ?? true,
      allowPublish: input.allowPublish ?? true,
      personal: false,
    };
    this.workspaces.set(w.workspaceId, w);
    return w;
  }
}
