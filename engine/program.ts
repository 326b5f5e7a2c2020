// Runs a Pulumi program in-process against our own resource monitor (the role the engine plays for the language
// host), so the exact RegisterResourceRequests a program makes — serialized `__provider`, dependencies, options,
// secrets, unknowns — can be observed and answered. The answer (id + outputs) comes from a caller-supplied handler:
// a mock by default, the offline engine's real steps in engine.ts.
import * as pulumi from "@pulumi/pulumi";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { setMockOptions } from "@pulumi/pulumi/runtime/settings";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import type * as StructPbModule from "google-protobuf/google/protobuf/struct_pb";
import { PropertyMap, UNKNOWN } from "./host";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPbModule;
// Internal but stable: the language host waits on this before it reports the program finished.
const settingsInternal = pulumiRequire("./runtime/settings") as { waitForRPCs(): Promise<void> };
const stateInternal = pulumiRequire("./runtime/state") as { getStore(): { supportsResourceReferences: boolean } };

/** The wire marker the SDK uses for secrets: {[SIG_KEY]: SECRET_SIG, value}. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const STACK_TYPE = "pulumi:pulumi:Stack";

export interface RegistrationOptions {
  protect: boolean;
  /** undefined when the program did not set the option (the provider's diff then decides). */
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs: string[];
  ignoreChanges: string[];
  replaceOnChanges: string[];
  retainOnDelete: boolean;
  deletedWith: string;
  importId: string;
}

export interface Registration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  /** Provider reference ("" for the default provider, which is what dynamic resources use). */
  provider: string;
  /** Inputs as the provider will see them: secrets unwrapped, unknowns as the UNKNOWN string. */
  inputs: PropertyMap;
  /** Top-level input keys whose value was (or contained) a secret. */
  secretInputs: string[];
  /** Inputs exactly as serialized by the SDK (secret wrappers kept). */
  rawInputs: PropertyMap;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: RegistrationOptions;
}

export interface RegisterAnswer {
  /** "" or undefined: no id (unknown during preview). */
  id?: string;
  /** Plain outputs; a key that is absent is unknown during preview (inputs fill it in otherwise, as in the SDK). */
  outputs: PropertyMap;
  /** Output keys to hand back to the program as secrets. */
  secretOutputs?: string[];
}

export type RegisterHandler = (reg: Registration) => Promise<RegisterAnswer>;

export type ProgramFn = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/**
 * A program named by module instead of given as a function: `require(module)[exportName](...args)` is the program
 * body. It runs in a child process (programProcess.ts), as the CLI runs a program in a language-host process apart
 * from the engine, so the SDK's work of registering resources (stack capture, serialization: ~2.5 ms a resource) runs
 * beside the engine's steps instead of taking turns with them on one thread. `module` is an absolute path (or a
 * package name) of CommonJS JavaScript; `args` must survive structured cloning.
 */
export interface ProgramModule {
  module: string;
  exportName: string;
  args?: unknown[];
}

/** What the engine can run: a function in this process, or a module in a process of its own. */
export type ProgramSource = ProgramFn | ProgramModule;

export interface RunProgramOptions {
  project?: string;
  stack?: string;
  /** Stack config, keys fully qualified ("quickbi:endpoint"), values as strings (as PULUMI_CONFIG holds them). */
  config?: Record<string, string>;
  /** Keys of `config` that are secret (PULUMI_CONFIG_SECRET_KEYS). */
  secretKeys?: string[];
  preview?: boolean;
  /** Answers each registration; default: id `<name>-id`, outputs = inputs (like setMocks). */
  onRegister?: RegisterHandler;
}

export interface ProgramRun {
  /** Every registration in arrival order (the stack and components included, custom=false). */
  registrations: Registration[];
  /** Stack outputs, secrets unwrapped. */
  stackOutputs: PropertyMap;
  secretStackOutputs: string[];
  /** Errors the program itself raised (a failed registration does not raise: see registrationErrors). */
  errors: Error[];
  /** Registrations the handler refused; their outputs reached the program as unknown. */
  registrationErrors: { urn: string; error: Error }[];
  stackUrn: string;
}

/** Strips the SDK's secret wrappers; reports whether any were found. */
export function unwrapSecrets(value: unknown): { value: unknown; secret: boolean } {
  if (Array.isArray(value)) {
    let secret = false;
    const out = value.map((v) => {
      const r = unwrapSecrets(v);
      secret ||= r.secret;
      return r.value;
    });
    return { value: out, secret };
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return { value: unwrapSecrets(obj.value).value, secret: true };
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const r = unwrapSecrets(v);
      secret ||= r.secret;
      out[k] = r.value;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

function unwrapMap(raw: PropertyMap): { plain: PropertyMap; secretKeys: string[] } {
  const plain: PropertyMap = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const r = unwrapSecrets(v);
    plain[k] = r.value;
    if (r.secret) secretKeys.push(k);
  }
  return { plain, secretKeys };
}

function wrapSecret(value: unknown): unknown {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** Same URN scheme as the engine: parent's type chain joined with "$". */
export function makeUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
  let qualified = type;
  // As the engine does: children of the root stack carry no parent type in their URN.
  const parentType = parentUrn ? parentUrn.split("::")[2] : "";
  if (parentType && parentType !== "pulumi:pulumi:Stack") {
    qualified = parentType + "$" + type;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

const defaultHandler: RegisterHandler = async (reg) => ({
  id: reg.custom ? `${reg.name}-id` : undefined,
  outputs: reg.inputs,
  secretOutputs: reg.secretInputs,
});

function dropUndefined(m: PropertyMap): PropertyMap {
  return JSON.parse(JSON.stringify(m)) as PropertyMap;
}

type Callback<T> = (err: Error | null, res?: T) => void;

/** The subset of pulumirpc.ResourceMonitor the Node SDK calls for plain programs. */
class RecordingMonitor {
  readonly registrations: Registration[] = [];
  readonly errors: { urn: string; error: Error }[] = [];
  stackOutputs: PropertyMap = {};
  secretStackOutputs: string[] = [];
  stackUrn = "";

  constructor(
    private readonly project: string,
    private readonly stack: string,
    private readonly handler: RegisterHandler,
  ) {}

  supportsFeature(req: resproto.SupportsFeatureRequest, cb: Callback<{ getHassupport(): boolean }>): void {
    // Like an engine talking to a provider that accepts neither resource references nor output values:
    // resources reach inputs as ids/urns and unknowns as the UNKNOWN string, which is what the host sees.
    const supported = new Set(["secrets", "deletedWith", "aliasSpecs"]);
    const has = supported.has(req.getId());
    cb(null, { getHassupport: () => has });
  }

  registerResource(req: resproto.RegisterResourceRequest, cb: Callback<resproto.RegisterResourceResponse>): void {
    const urn = makeUrn(this.stack, this.project, req.getParent(), req.getType(), req.getName());
    const rawInputs = (req.getObject()?.toJavaScript() ?? {}) as PropertyMap;
    const { plain, secretKeys } = unwrapMap(rawInputs);
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const reg: Registration = {
      urn,
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent(),
      provider: req.getProvider(),
      inputs: plain,
      secretInputs: secretKeys,
      rawInputs,
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      options: {
        protect: req.getProtect() ?? false,
        ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        retainOnDelete: req.getRetainondelete() ?? false,
        deletedWith: req.getDeletedwith(),
        importId: req.getImportid(),
      },
    };
    this.registrations.push(reg);
    if (reg.type === STACK_TYPE && !reg.parent) this.stackUrn = urn;

    const answer: Promise<RegisterAnswer> = reg.custom
      ? this.handler(reg)
      : Promise.resolve({ outputs: {} });
    answer.then(
      (a) => {
        const secret = new Set([...(a.secretOutputs ?? []), ...reg.options.additionalSecretOutputs]);
        const object: PropertyMap = {};
        for (const [k, v] of Object.entries(dropUndefined(a.outputs))) {
          object[k] = secret.has(k) && v !== UNKNOWN ? wrapSecret(v) : v;
        }
        const res = new resproto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId(a.id ?? "");
        res.setObject(Struct.fromJavaScript(object as Record<string, StructPbModule.JavaScriptValue>));
        cb(null, res);
      },
      (err: unknown) => {
        // Answered as an engine with result reporting answers a failed step: no gRPC error (which would
        // reject every output promise of the resource, unhandled), but Result.FAIL, so its outputs resolve
        // as unknown and the program runs to its end. The caller decides what happens to dependents.
        const e = err instanceof Error ? err : new Error(String(err));
        this.errors.push({ urn, error: e });
        const res = new resproto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId("");
        res.setObject(Struct.fromJavaScript({}));
        res.setResult(resproto.Result.FAIL);
        cb(null, res);
      },
    );
  }

  registerResourceOutputs(req: resproto.RegisterResourceOutputsRequest, cb: Callback<object>): void {
    if (req.getUrn() === this.stackUrn) {
      const { plain, secretKeys } = unwrapMap((req.getOutputs()?.toJavaScript() ?? {}) as PropertyMap);
      this.stackOutputs = plain;
      this.secretStackOutputs = secretKeys;
    }
    cb(null, {});
  }

  readResource(req: resproto.ReadResourceRequest, cb: Callback<never>): void {
    // Dynamic providers cannot be read without state (pulumi/pulumi#16175, #3550), so neither can we.
    cb(new Error(`reading existing resources (get/import of ${req.getType()} ${req.getName()}) is not supported`));
  }

  invoke(req: resproto.ResourceInvokeRequest, cb: Callback<provproto.InvokeResponse>): void {
    cb(new Error(`invoke ${req.getTok()} is not supported by the offline engine`));
  }

  call(req: resproto.ResourceCallRequest, cb: Callback<never>): void {
    cb(new Error(`call ${req.getTok()} is not supported by the offline engine`));
  }

  registerPackage(_req: unknown, cb: Callback<resproto.RegisterPackageResponse>): void {
    cb(new Error("packages are not supported by the offline engine"));
  }
}

// The SDK's runtime state is process-global: one program at a time.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `program` as the body of the stack, answering each registration with `opts.onRegister`, and resolves once
 * every RPC the program started has finished (as the language host does before exiting). Never rejects for a
 * program error: errors are collected in `errors`, like a failed `pulumi up` that still reports what it did.
 * A registration the handler refuses resolves that resource's outputs as unknown (see registerResource).
 */
export function runProgram(program: ProgramSource, opts: RunProgramOptions = {}): Promise<ProgramRun> {
  // A child process has an SDK runtime of its own: nothing to wait for.
  if (typeof program !== "function") return runInChildProcess(program, opts);
  const run = queue.then(() => runExclusive(program, opts));
  queue = run.catch(() => undefined);
  return run;
}

/** Messages between runInChildProcess and programProcess.ts. Errors cross as message + stack. */
export interface WireError {
  message: string;
  stack?: string;
}
export type ToProgram = { kind: "answer"; seq: number; answer?: RegisterAnswer; error?: WireError };
export type FromProgram =
  | { kind: "register"; seq: number; reg: Registration }
  | { kind: "done"; run: Omit<ProgramRun, "errors" | "registrationErrors"> & { errors: WireError[]; registrationErrors: { urn: string; error: WireError }[] } }
  | { kind: "failed"; error: WireError };
export type ProgramStart = { kind: "start"; program: ProgramModule; options: Omit<RunProgramOptions, "onRegister"> };

export function toWire(e: unknown): WireError {
  return e instanceof Error ? { message: e.message, stack: e.stack } : { message: String(e) };
}
export function fromWire(w: WireError): Error {
  const e = new Error(w.message);
  if (w.stack) e.stack = w.stack;
  return e;
}

/** The compiled child script: this file's sibling, or under bin/ when this file runs as TypeScript (ts-jest). */
function programScript(): string {
  return __filename.endsWith(".ts")
    ? path.resolve(__dirname, "..", "bin", path.basename(__dirname), "programProcess.js")
    : path.join(__dirname, "programProcess.js");
}

async function runInChildProcess(program: ProgramModule, opts: RunProgramOptions): Promise<ProgramRun> {
  const { onRegister, ...options } = opts;
  const handler = onRegister ?? defaultHandler;
  // Structured clone on the IPC channel ("advanced"), so registrations cross as they are; the program's own output
  // goes where this process's goes, as it would from a function program.
  const child = fork(programScript(), [], { serialization: "advanced", execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const send = (m: ToProgram | ProgramStart) => {
    if (child.connected) child.send(m);
  };
  try {
    return await new Promise<ProgramRun>((resolve, reject) => {
      child.on("message", (m: FromProgram) => {
        if (m.kind === "register") {
          handler(m.reg).then(
            (answer) => send({ kind: "answer", seq: m.seq, answer }),
            (e: unknown) => send({ kind: "answer", seq: m.seq, error: toWire(e) }),
          );
        } else if (m.kind === "done") {
          resolve({
            ...m.run,
            errors: m.run.errors.map(fromWire),
            registrationErrors: m.run.registrationErrors.map((r) => ({ urn: r.urn, error: fromWire(r.error) })),
          });
        } else {
          reject(fromWire(m.error));
        }
      });
      child.on("error", reject);
      child.on("exit", (code, signal) =>
        reject(new Error(`the program's process exited (${signal ?? `code ${code}`}) before the program finished`)),
      );
      send({ kind: "start", program, options });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

async function runExclusive(program: ProgramFn, opts: RunProgramOptions): Promise<ProgramRun> {
  const project = opts.project ?? "project";
  const stack = opts.stack ?? "stack";
  const monitor = new RecordingMonitor(project, stack, opts.onRegister ?? defaultHandler);
  setMockOptions(monitor, project, stack, opts.preview ?? false);
  // setMockOptions keeps previous feature flags until the stack asks the monitor; make the first answer ours.
  stateInternal.getStore().supportsResourceReferences = false;
  // Same store fields the SDK fills from PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS at start-up.
  pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);

  const errors: Error[] = [];
  const record = (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!errors.some((x) => x === err || x.message === err.message)) errors.push(err);
  };
  // The SDK reports a resource whose inputs failed (an apply that threw, say) by leaving a rejection unhandled on
  // purpose: the language host owns the process and counts those as program errors. We run in someone else's
  // process (a test runner, the demo), so for the duration of the run we take that role: the rejections become
  // `errors` instead of crashing the process or failing an unrelated test. The real process object is needed:
  // test runners hand modules a copy whose listeners the runtime never calls.
  const realProcess = vm.runInThisContext("process") as NodeJS.Process;
  const previous = realProcess.listeners("unhandledRejection");
  realProcess.removeAllListeners("unhandledRejection");
  realProcess.on("unhandledRejection", record);
  try {
    // The error is caught inside the stack's init: escaping from it would reach the SDK's own unhandled
    // paths, which end the process (the language host is a process per program; we are not).
    await runInPulumiStack(async () => {
      try {
        return (await program()) ?? {};
      } catch (e) {
        record(e);
        return {};
      }
    });
  } catch (e) {
    record(e);
  }
  try {
    await settingsInternal.waitForRPCs();
    // A rejection is reported unhandled only after the microtasks of its turn: let that happen while we listen.
    await new Promise((r) => setImmediate(r));
  } finally {
    realProcess.off("unhandledRejection", record);
    for (const l of previous) realProcess.on("unhandledRejection", l as (...args: unknown[]) => void);
  }
  return {
    registrations: monitor.registrations,
    stackOutputs: monitor.stackOutputs,
    secretStackOutputs: monitor.secretStackOutputs,
    errors,
    registrationErrors: monitor.errors,
    stackUrn: monitor.stackUrn,
  };
}
