/**
 * What a resource's `__provider` text loads inside the Pulumi provider host (`require("pulumi-quickbi/runtime")`). It
 * holds the per-process state: the stack config handed to `configure`, the client (created on first use, so
 * credentials are resolved at call time and never reach state), the services, the access report and the ownership
 * claims, and one handler per resource kind.
 *
 * Entry points (both part of every stack's state, so only ever extended):
 * - `provider(kind)`: what today's `__provider` text returns (contract/providerText.ts);
 * - `configure(req)` and `handler(kind)`: what the serializer-made text of stacks written before 0.2 calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CallOptions, Envelope, QueryParams, QuickBICaller } from "./api/call";
import { createClient, type QuickBIClient } from "./api/client";
import { KEYS, resolveCallerUserId, type ConfigSource } from "./api/settings";
import { stopCalls } from "./api/shutdown";
import { createServices, type BatchingSettings } from "./batching";
import { expectOperation, noteEngineStep, runEngineCall } from "./batching/engineActivity";
import { urnOf } from "./contract/hiddenInputs";
import { isResourceKind, type ResourceKind } from "./contract/kinds";
import { createGroupMembersHandler } from "./handlers/groupMembers";
import { createGroupMembershipHandler } from "./handlers/groupMembership";
import type { Handler } from "./handlers/handler";
import { createMembershipContext } from "./handlers/context";
import type { MembershipContext } from "./handlers/membership";
import { createUserHandler } from "./handlers/user";
import { createWorkspaceMembersHandler } from "./handlers/workspaceMembers";
import { createWorkspaceMembershipHandler } from "./handlers/workspaceMembership";
import { engineAddress, stderrLog } from "./report/engineLog";
import type { Services } from "./service";
import { onceUnlessFailed } from "./service/onceUnlessFailed";
import { traced } from "./trace";

/**
 * A caller that builds the real client on its first request. Settings resolution is async (the credential chain may
 * ask the network), while handlers and services are built synchronously.
 */
class LazyCaller implements QuickBICaller {
  readonly #client: () => Promise<QuickBIClient>;
  constructor(config: ConfigSource | undefined) {
    this.#client = onceUnlessFailed(() => createClient(config, process.env));
  }

  async call(action: string, params: QueryParams, options: CallOptions): Promise<unknown> {
    return (await this.#client()).call(action, params, options);
  }

  async callEnvelope(action: string, params: QueryParams, options: CallOptions): Promise<Envelope> {
    return (await this.#client()).callEnvelope(action, params, options);
  }

  /** `quickbi:coalesce` / `quickbi:batchWindowMs` as resolved with the client (stack config → env → default). */
  async batching(): Promise<BatchingSettings> {
    const s = (await this.#client()).settings;
    return { coalesce: s.coalesce, batchWindowMs: s.batchWindowMs };
  }
}

let config: ConfigSource | undefined;
/** The `quickbi:*` values the current services were built from (kept only in this process's memory). */
let configValues: string | undefined;
let services: Services | undefined;
const handlers = new Map<ResourceKind, Handler>();

function currentServices(): Services {
  if (services === undefined) {
    const caller = new LazyCaller(config);
    // One Services per host process: its coalescers are shared by every resource operation the engine sends here.
    services = createServices(caller, { batching: () => caller.batching() });
  }
  return services;
}

const context: MembershipContext = createMembershipContext({
  services: currentServices,
  callerUserId: () => resolveCallerUserId(config, process.env),
});

/**
 * Called by the host once per distinct `__provider` text (so once per resource kind), always with the same stack
 * config. Only `get("quickbi:<key>")` is available on it.
 */
export function configure(req: pulumi.dynamic.ConfigureRequest): void {
  const source = req.config;
  const values = JSON.stringify(Object.values(KEYS).map((k) => source.get(k.config) ?? null));
  config = { get: (key: string) => source.get(key) };
  // Each resource kind configures separately with the same config; keep one client (and its coalescers) for the
  // process unless the settings really changed.
  if (values !== configValues) {
    configValues = values;
    services = undefined;
  }
  // No organization listing here: the first report that misses a nickname starts it (report/names.ts), as early as a
  // listing started here would be. A refresh, whose reads report nothing, then spends neither the calls nor the host's
  // time parsing every user of the organization.
  watchEngine();
}

function create(kind: ResourceKind): Handler {
  switch (kind) {
    case "user":
      return createUserHandler(context);
    case "workspaceMembership":
      return createWorkspaceMembershipHandler(context);
    case "groupMembership":
      return createGroupMembershipHandler(context);
    case "workspaceMembers":
      return createWorkspaceMembersHandler(context);
    case "groupMembers":
      return createGroupMembersHandler(context);
  }
}

export function handler(kind: string): Handler {
  if (!isResourceKind(kind)) {
    // A state written by a newer pulumi-quickbi than the one installed.
    throw new Error(
      `pulumi-quickbi: unknown resource kind ${JSON.stringify(kind)}; upgrade the pulumi-quickbi package`,
    );
  }
  let h = handlers.get(kind);
  if (h === undefined) {
    // Only a QuickBIUser's read waits in a window (reads of many users are coalesced); a membership's reads use listings.
    h = traced(kind, joinable(create(kind), { readsWaitInWindows: kind === "user" }));
    handlers.set(kind, h);
  }
  return h;
}

/** The provider object today's `__provider` text hands to the host. */
export function provider(kind: string): pulumi.dynamic.ResourceProvider {
  const h = handler(kind);
  return {
    configure: async (req) => configure(req),
    check: (olds, news) => h.check(olds, news),
    diff: (id, olds, news) => h.diff(id, olds, news),
    create: (inputs) => h.create(inputs),
    read: (id, props) => h.read(id, props),
    update: (id, olds, news) => h.update(id, olds, news),
    delete: (id, props) => h.delete(id, props),
  };
}

/**
 * The handler with its Quick BI operations (create, read, update, delete) announced to the coalescing windows
 * (batching/engineActivity.ts) and counted while under way. Check and diff are only announced as steps: they never
 * call Quick BI, but until the engine is known to be bounded they tell that it is still stepping through
 * registrations (`noteEngineStep`).
 */
function joinable(h: Handler, { readsWaitInWindows }: { readonly readsWaitInWindows: boolean }): Handler {
  return {
    check: async (olds, news) => {
      noteEngineStep();
      const checked = await h.check(olds, news);
      // No old inputs: a new resource, whose create the engine sends next (once a worker takes the step).
      if (Object.keys(olds ?? {}).length === 0) announce(news);
      return checked;
    },
    diff: async (id, olds, news) => {
      noteEngineStep();
      const diffed = await h.diff(id, olds, news);
      if (diffed.changes === true) announce(news);
      return diffed;
    },
    create: (inputs) => runEngineCall(() => h.create(inputs), urnOf(inputs)),
    read: (id, props) => runEngineCall(() => h.read(id, props), undefined, { waitsInWindows: readsWaitInWindows }),
    update: (id, olds, news) => runEngineCall(() => h.update(id, olds, news), urnOf(news)),
    delete: (id, props) => runEngineCall(() => h.delete(id, props)),
  };
}

/** The engine decided an operation for this resource (engineActivity.ts `expectOperation`). */
function announce(props: unknown): void {
  const urn = urnOf(props);
  if (urn !== undefined) expectOperation(urn);
}

let watching = false;

/**
 * Inside a provider host, notices when the engine that started it is gone (killed: this process is re-parented) and
 * stops sending Quick BI requests, then exits once the ones under way had time to answer.
 */
function watchEngine(): void {
  if (watching || engineAddress() === undefined) return;
  watching = true;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stopCalls("the Pulumi engine that started this provider host is gone");
    stderrLog.log("warning", "the Pulumi engine is gone: no further Quick BI request is sent; exiting");
    setTimeout(() => process.exit(1), 2000).unref();
  }, 250);
  timer.unref();
}
