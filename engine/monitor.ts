// The engine's side of a program: the subset of pulumirpc.ResourceMonitor the Node SDK calls for plain programs. It
// records every registration and answers each one with what a handler (the driver's steps, or a mock) decides.
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { createRequire } from "node:module";
import type * as StructPbModule from "google-protobuf/google/protobuf/struct_pb";
import {
  makeUrn,
  STACK_TYPE,
  unwrapMap,
  wrapSecret,
  type RegisterAnswer,
  type RegisterHandler,
  type Registration,
} from "./registration";
import { UNKNOWN, type PropertyMap } from "./wire";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPbModule;

export const defaultHandler: RegisterHandler = async (reg) => ({
  id: reg.custom ? `${reg.name}-id` : undefined,
  outputs: reg.inputs,
  secretOutputs: reg.secretInputs,
});

function dropUndefined(m: PropertyMap): PropertyMap {
  return JSON.parse(JSON.stringify(m)) as PropertyMap;
}

type Callback<T> = (err: Error | null, res?: T) => void;

/** The subset of pulumirpc.ResourceMonitor the Node SDK calls for plain programs. */
export class RecordingMonitor {
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

    const answer: Promise<RegisterAnswer> = reg.custom ? this.handler(reg) : Promise.resolve({ outputs: {} });
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
