/**
 * The `__provider` input of every resource of this package: the text the dynamic-provider host loads (as a module
 * whose `exports.handler()` returns the provider) for every later check, diff, create, read, update and delete.
 *
 * It is written by hand rather than produced by `pulumi.dynamic.Resource`'s closure serializer: the serializer emits
 * one wrapper per method (about 3 KB per resource, stored twice in every checkpoint, inputs and outputs), while this
 * names the installed package's runtime and the resource kind, nothing else. So state stays small and holds no
 * config or credential, and old stacks run the installed (fixed) code on refresh and destroy.
 *
 * Stacks written by earlier versions carry the serializer's text, which calls `runtime.handler(kind)`: the runtime
 * keeps serving that entry point too.
 */
import type { ResourceKind } from "./kinds";

/** The package entry the text requires; it must stay a package export ("./runtime"). */
export const RUNTIME_MODULE = "pulumi-quickbi/runtime";

export function providerText(kind: ResourceKind): string {
  return `exports.handler = () => require(${JSON.stringify(RUNTIME_MODULE)}).provider(${JSON.stringify(kind)});\n`;
}
