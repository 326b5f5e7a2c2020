// Property bags on the wire: the engine hands a provider its inputs and state as protobuf Structs, built with the
// copies of google-protobuf and @grpc/grpc-js that @pulumi/pulumi itself resolves (its generated stubs were built
// against those; mixing in another copy breaks message identity).
import { createRequire } from "node:module";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as EmptyPbModule from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPbModule from "google-protobuf/google/protobuf/struct_pb";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
export const grpc = pulumiRequire("@grpc/grpc-js") as typeof GrpcJs;
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPbModule;
export const { Empty } = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPbModule;

export type PropertyMap = Record<string, unknown>;

/** The string the engine sends for a value that is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** protobuf Struct cannot carry undefined ("Unexpected struct type."); the engine never sends it either. */
function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : dropUndefined(v)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = dropUndefined(v);
    }
    return out;
  }
  return value;
}

export function toStruct(props: PropertyMap | undefined): StructPbModule.Struct {
  return Struct.fromJavaScript(dropUndefined(props ?? {}) as Record<string, StructPbModule.JavaScriptValue>);
}

export function fromStruct(s: StructPbModule.Struct | undefined): PropertyMap {
  return s ? (s.toJavaScript() as PropertyMap) : {};
}

/** The engine fills a request's name and type from the URN ("urn:pulumi:stack::project::type::name"). */
export function nameAndType(urn: string): { name: string; type: string } | undefined {
  const parts = urn.split("::");
  if (parts.length < 4) return undefined;
  const qualified = parts[2];
  return { name: parts.slice(3).join("::"), type: qualified.split("$").pop() ?? qualified };
}
