// The engine's calls to a resource provider, one table: for each RPC, how the engine fills the request and what it
// reads from the answer. Which properties go where follows the engine (pkg/resource/deploy/step.go): check gets old
// and new inputs, diff and update the old *outputs* plus the old inputs, read and delete the old outputs.
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Empty, fromStruct, nameAndType, toStruct, type PropertyMap } from "./wire";

export type DiffChanges = "DIFF_SOME" | "DIFF_NONE" | "DIFF_UNKNOWN";

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: PropertyMap;
  failures: CheckFailure[];
}
export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
}
export interface CreateResult {
  id: string;
  properties: PropertyMap;
}
export interface ReadResult {
  /** Empty string means the resource is gone. */
  id: string;
  properties: PropertyMap;
  inputs?: PropertyMap;
}
export interface UpdateResult {
  properties: PropertyMap;
}

interface Rpc<Args extends unknown[], Req, Res, Out> {
  /** The client method (grpc-js names them in lower camel case). */
  client: "configure" | "check" | "diff" | "create" | "read" | "update" | "delete" | "cancel";
  /** Whether the first argument is the URN the call is about (else a provider-wide call), for diagnostics. */
  aboutResource: boolean;
  request(...args: Args): Req;
  response(res: Res): Out;
}

function rpc<Args extends unknown[], Req, Res, Out>(r: Rpc<Args, Req, Res, Out>): Rpc<Args, Req, Res, Out> {
  return r;
}

/** Every request about a resource carries its URN, name and type (the engine derives the last two from the URN). */
function about<R extends { setUrn(v: string): unknown; setName(v: string): unknown; setType(v: string): unknown }>(
  req: R,
  urn: string,
): R {
  req.setUrn(urn);
  const nt = nameAndType(urn);
  if (nt) {
    req.setName(nt.name);
    req.setType(nt.type);
  }
  return req;
}

const diffNames: Record<number, DiffChanges> = {
  [provproto.DiffResponse.DiffChanges.DIFF_SOME]: "DIFF_SOME",
  [provproto.DiffResponse.DiffChanges.DIFF_NONE]: "DIFF_NONE",
  [provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "DIFF_UNKNOWN",
};

export const RPCS = {
  /** The whole stack config, keys fully qualified, values as strings; secrets are not accepted by the host. */
  Configure: rpc({
    client: "configure",
    aboutResource: false,
    request: (config: Record<string, string>) => {
      const req = new provproto.ConfigureRequest();
      const vars = req.getVariablesMap();
      for (const [k, v] of Object.entries(config)) vars.set(k, v);
      req.setArgs(toStruct(config));
      req.setAcceptsecrets(false);
      req.setAcceptresources(false);
      return req;
    },
    response: (res: provproto.ConfigureResponse) => ({ acceptSecrets: res.getAcceptsecrets() }),
  }),
  Check: rpc({
    client: "check",
    aboutResource: true,
    request: (urn: string, olds: PropertyMap, news: PropertyMap) => {
      const req = about(new provproto.CheckRequest(), urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      return req;
    },
    response: (res: provproto.CheckResponse): CheckResult => ({
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    }),
  }),
  Diff: rpc({
    client: "diff",
    aboutResource: true,
    request: (urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap) => {
      const req = about(new provproto.DiffRequest(), urn);
      req.setId(id);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      return req;
    },
    response: (res: provproto.DiffResponse): DiffResult => ({
      changes: diffNames[res.getChanges()] ?? "DIFF_UNKNOWN",
      replaces: res.getReplacesList(),
      stables: res.getStablesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    }),
  }),
  Create: rpc({
    client: "create",
    aboutResource: true,
    request: (urn: string, props: PropertyMap) => {
      const req = about(new provproto.CreateRequest(), urn);
      req.setProperties(toStruct(props));
      return req;
    },
    response: (res: provproto.CreateResponse): CreateResult => ({
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
    }),
  }),
  Read: rpc({
    client: "read",
    aboutResource: true,
    request: (urn: string, id: string, props: PropertyMap, inputs?: PropertyMap) => {
      const req = about(new provproto.ReadRequest(), urn);
      req.setId(id);
      req.setProperties(toStruct(props));
      if (inputs) req.setInputs(toStruct(inputs));
      return req;
    },
    response: (res: provproto.ReadResponse): ReadResult => ({
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
      ...(res.hasInputs() ? { inputs: fromStruct(res.getInputs()) } : {}),
    }),
  }),
  Update: rpc({
    client: "update",
    aboutResource: true,
    request: (urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap) => {
      const req = about(new provproto.UpdateRequest(), urn);
      req.setId(id);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      return req;
    },
    response: (res: provproto.UpdateResponse): UpdateResult => ({ properties: fromStruct(res.getProperties()) }),
  }),
  Delete: rpc({
    client: "delete",
    aboutResource: true,
    request: (urn: string, id: string, props: PropertyMap, oldInputs?: PropertyMap) => {
      const req = about(new provproto.DeleteRequest(), urn);
      req.setId(id);
      req.setProperties(toStruct(props));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      return req;
    },
    response: (): void => undefined,
  }),
  /** Sent when the engine closes a provider, before it interrupts the process. */
  Cancel: rpc({
    client: "cancel",
    aboutResource: false,
    request: () => new Empty(),
    response: (): void => undefined,
  }),
};

export type RpcName = keyof typeof RPCS;
export type RpcArgs<K extends RpcName> = Parameters<(typeof RPCS)[K]["request"]>;
export type RpcResult<K extends RpcName> = ReturnType<(typeof RPCS)[K]["response"]>;
