// The engine's JSON state file (a checkpoint, in Pulumi's words): its schema, reading, and writing it atomically
// (temp file + rename). When it is written is checkpoint.ts's business.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

const PropertyMapSchema = z.record(z.unknown());

export const ResourceStateSchema = z.object({
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  custom: z.boolean(),
  parent: z.string().default(""),
  /** "" for components. */
  id: z.string(),
  /** Checked inputs (including `__provider`); secret values sealed. */
  inputs: PropertyMapSchema,
  /** Outputs as the provider returned them (including `__provider`); secret values sealed. */
  outputs: PropertyMapSchema,
  dependencies: z.array(z.string()),
  /** Per input property, the resources its value came from (a delete-before-replace cascades along these). */
  propertyDependencies: z.record(z.array(z.string())).optional(),
  /** `deletedWith`: no Delete call when this resource goes in the same operation. */
  deletedWith: z.string().optional(),
  /** Set when the provider reported ErrorResourceInitFailed: the object exists but is not finished. */
  initErrors: z.array(z.string()).optional(),
  deleteBeforeReplace: z.boolean().optional(),
  /** `protect`: the engine refuses to delete or replace it. */
  protect: z.boolean().optional(),
  /** `retainOnDelete`: dropped from state without a Delete call. */
  retainOnDelete: z.boolean().optional(),
  additionalSecretOutputs: z.array(z.string()).optional(),
  /** The old copy of a create-before-delete replacement, still to be deleted. */
  delete: z.boolean().optional(),
  /** Deleted by a delete-before-replace whose create has not happened yet: kept so the next run creates it again. */
  pendingReplacement: z.boolean().optional(),
});
export type ResourceState = z.infer<typeof ResourceStateSchema>;

export const PendingOperationSchema = z.object({
  urn: z.string(),
  type: z.string(),
  op: z.enum(["create", "update", "delete"]),
  id: z.string().optional(),
  startedAt: z.string(),
});
export type PendingOperation = z.infer<typeof PendingOperationSchema>;

export const StateSchema = z.object({
  version: z.literal(1),
  /** Salt of the secrets key (see secrets.ts). */
  secretsSalt: z.string(),
  resources: z.array(ResourceStateSchema),
  /** Stack outputs; secret values sealed. */
  outputs: PropertyMapSchema,
  /** Provider calls that had started but not finished when the state was last written. */
  pendingOperations: z.array(PendingOperationSchema).default([]),
});
export type State = z.infer<typeof StateSchema>;

export function emptyState(secretsSalt: string): State {
  return { version: 1, secretsSalt, resources: [], outputs: {}, pendingOperations: [] };
}

export function loadState(file: string): State | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return StateSchema.parse(JSON.parse(text));
}

let tmpSeq = 0;
export function saveState(file: string, state: State, text: string = JSON.stringify(state)): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${tmpSeq++}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** `{...}` of an object's own enumerable fields, each value's text from `valueJson`; undefined leaves the field out. */
function objectJson(obj: object, valueJson: (key: string, value: unknown) => string | undefined): string {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const text = valueJson(key, value);
    if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${fields.join(",")}}`;
}

/**
 * The state's JSON text, the same as `JSON.stringify(state)`, reusing the text of every resource entry whose fields
 * are the same values as when it was last written. Entries carry the serialized `__provider` (~3 KB) in inputs and
 * outputs, so a 2000-resource state is ~14 MB; re-serializing all of it after every batch of steps kept the driver's
 * one thread from answering the provider host. A step replaces an entry or its property maps rather than editing the
 * maps, so comparing an entry's top-level values by identity tells whether its text is still right.
 */
export class StateSerializer {
  private readonly entries = new WeakMap<object, { values: unknown[]; keys: string; text: string }>();

  serialize(state: State): string {
    return objectJson(state, (key, value) =>
      key === "resources" && Array.isArray(value)
        ? `[${(value as ResourceState[]).map((r) => this.resource(r)).join(",")}]`
        : JSON.stringify(value),
    );
  }

  private resource(r: ResourceState): string {
    const keys = Object.keys(r);
    const values = keys.map((k) => (r as Record<string, unknown>)[k]);
    const joined = keys.join("\u0000");
    const cached = this.entries.get(r);
    if (cached && cached.keys === joined && cached.values.every((v, i) => v === values[i])) return cached.text;
    const text = JSON.stringify(r);
    this.entries.set(r, { values, keys: joined, text });
    return text;
  }
}
