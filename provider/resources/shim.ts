/**
 * The object handed to `pulumi.dynamic.Resource`. Pulumi serializes it BY VALUE into state (`__provider`) and the
 * dynamic-provider host re-creates it from that text for every later refresh/update/destroy. Everything it captures is
 * frozen into state, so it captures exactly one string (the resource kind) and loads the installed package at call
 * time: state stays a few hundred bytes, holds no client, schema, config or credential, and old stacks run the
 * installed (fixed) code instead of the code that was current at their last `up`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./kinds";

/** The module the shim loads inside the provider host (package export "./runtime"). */
type Runtime = typeof import("../runtime");

export function createShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // `require` is resolved by the host against the user's project, where node_modules/pulumi-quickbi is installed.
  // The module name must stay a literal: it is the only dependency the serialized text may name.
  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      const runtime: Runtime = require("pulumi-quickbi/runtime");
      runtime.configure(req);
    },
    async check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
      const runtime: Runtime = require("pulumi-quickbi/runtime");
      return runtime.handler(kind).check(olds, news);
    },
    async diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
      const runtime: Runtime = require("pulumi-quickbi/runtime");
      return runtime.handler(kind).diff(id, olds, news);
    },
    async create(inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
      const runtime: Runtime = require("pulumi-quickbi/runtime");
      return runtime.handler(kind).create(inputs);
    },
    async read(id: string, props?: unknown): Promise<pulumi.dynamic.ReadResult> {
      const runtime: Runtime = require("pulumi-quickbi/runtime");
      return runtime.handler(kind).read(id, props);
    },
    async update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
      const runtime: Runtime = require("pulumi-quickbi/runtime");
      return runtime.handler(kind).update(id, olds, news);
    },
    async delete(id: string, props: unknown): Promise<void> {
      const runtime: Runtime = require("pulumi-quickbi/runtime");
      await runtime.handler(kind).delete(id, props);
    },
  };
}
