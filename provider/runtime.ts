/**
 * What the serialized shim loads inside the Pulumi provider host (`require("pulumi-quickbi/runtime")`). It holds the
 * per-process state: the stack config handed to `configure`, the client (created on first use, so credentials are
 * resolved at call time and never reach the serialized provider or state), the service layer and one handler per
 * resource kind.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CallOptions, Envelope, QueryParams, QuickBICaller } from "./api/call";
import { createClient, type QuickBIClient } from "./api/client";
import { KEYS, type ConfigSource } from "./api/settings";
import { beginEngineCall, noteEngineCall } from "./batching/engineActivity";
import { createGroupMembersHandler } from "./handlers/groupMembers";
import { createGroupMembershipHandler } from "./handlers/groupMembership";
import type { Handler } from "./handlers/handler";
import { createUserHandler } from "./handlers/user";
import { createWorkspaceMembersHandler, type AuthoritativeSettings } from "./handlers/workspaceMembers";
import { createWorkspaceMembershipHandler } from "./handlers/workspaceMembership";
import { withAccessReport } from "./report/additive";
import { isResourceKind, type ResourceKind } from "./resources/kinds";
import { createServices, type BatchingSettings, type Services } from "./service";

/**
 * A caller that builds the real client on its first request. Settings resolution is async (the credential chain may
 * ask the network), while handlers and services are built synchronously.
 */
class LazyCaller implements QuickBICaller {
  #client?: Promise<QuickBIClient>;
  constructor(private readonly config: ConfigSource | undefined) {}

  #get(): Promise<QuickBIClient> {
    if (this.#client === undefined) {
      const pending = createClient(this.config, process.env);
      // A failed resolution (e.g. missing credentials) is not cached: the next call reports it afresh.
      pending.catch(() => {
        if (this.#client === pending) this.#client = undefined;
      });
      this.#client = pending;
    }
    return this.#client;
  }

  async call(action: string, params: QueryParams, options: CallOptions): Promise<unknown> {
    return (await this.#get()).call(action, params, options);
  }

  async callEnvelope(action: string, params: QueryParams, options: CallOptions): Promise<Envelope> {
    return (await this.#get()).callEnvelope(action, params, options);
  }

  /** `quickbi:coalesce` / `quickbi:batchWindowMs` as resolved with the client (stack config → env → default). */
  async batching(): Promise<BatchingSettings> {
    const s = (await this.#get()).settings;
    return { coalesce: s.coalesce, batchWindowMs: s.batchWindowMs };
  }
}

let config: ConfigSource | undefined;
/** The `quickbi:*` values the current services were built from (kept only in this process's memory). */
let configValues: string | undefined;
let services: Services | undefined;
const handlers = new Map<ResourceKind, Handler>();

/** Read at call time: who the access key belongs to, for the authoritative resources' self-guard. */
function authoritativeSettings(): AuthoritativeSettings {
  const callerUserId = config?.get("quickbi:callerUserId") || process.env.QUICKBI_CALLER_USER_ID || undefined;
  return { callerUserId };
}

function currentServices(): Services {
  if (services === undefined) {
    const caller = new LazyCaller(config);
    // One Services per host process: its coalescers are shared by every resource operation the engine sends here.
    services = createServices(caller, { batching: () => caller.batching() });
  }
  return services;
}

/**
 * Called by the host once per distinct serialized provider (so once per resource kind), always with the same stack
 * config. Only `get("quickbi:<key>")` is available on it.
 */
export function configure(req: pulumi.dynamic.ConfigureRequest): void {
  const source = req.config;
  const values = JSON.stringify(Object.values(KEYS).map((k) => source.get(k.config) ?? null));
  config = { get: (key: string) => source.get(key) };
  // Each resource kind configures separately with the same config; keep one client (and one future batching
  // layer) for the process unless the settings really changed.
  if (values !== configValues) {
    configValues = values;
    services = undefined;
  }
}

export function handler(kind: string): Handler {
  // The shim asks for its handler on every engine call: that is when open batches learn the engine is still busy.
  noteEngineCall();
  if (!isResourceKind(kind)) {
    // A state written by a newer pulumi-quickbi than the one installed.
    throw new Error(`pulumi-quickbi: unknown resource kind ${JSON.stringify(kind)}; upgrade the pulumi-quickbi package`);
  }
  let h = handlers.get(kind);
  if (h === undefined) {
    switch (kind) {
      case "user":
        h = createUserHandler(currentServices);
        break;
      case "workspaceMembership":
        h = withAccessReport(kind, createWorkspaceMembershipHandler(currentServices), currentServices);
        break;
      case "groupMembership":
        h = withAccessReport(kind, createGroupMembershipHandler(currentServices), currentServices);
        break;
      case "workspaceMembers":
        h = createWorkspaceMembersHandler(currentServices, authoritativeSettings);
        break;
      case "groupMembers":
        h = createGroupMembersHandler(currentServices, authoritativeSettings);
        break;
    }
    h = counted(h);
    handlers.set(kind, h);
  }
  return h;
}

/** The handler with each call counted as under way until it settles (engineActivity.ts `engineCallsInFlight`). */
function counted(h: Handler): Handler {
  const track = async <T>(call: () => Promise<T>): Promise<T> => {
    const end = beginEngineCall();
    try {
      return await call();
    } finally {
      end();
    }
  };
  return {
    check: (olds, news) => track(() => h.check(olds, news)),
    diff: (id, olds, news) => track(() => h.diff(id, olds, news)),
    create: (inputs) => track(() => h.create(inputs)),
    read: (id, props) => track(() => h.read(id, props)),
    update: (id, olds, news) => track(() => h.update(id, olds, news)),
    delete: (id, props) => track(() => h.delete(id, props)),
  };
}
