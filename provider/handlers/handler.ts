/**
 * The shape every resource handler has (Pulumi's dynamic ResourceProvider, with `unknown` property bags because the
 * host hands over whatever state or program produced) and the helpers they share.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { checkFields, type CheckFailure, type FieldCheck } from "./checkFields";
import { InvalidPropertiesError } from "./errors";

export interface Handler {
  check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: unknown): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props?: unknown): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: unknown): Promise<void>;
}

/** Outputs and inputs must not contain `undefined` (protobuf Struct refuses it): drop such keys. */
export function compact<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** Parses values that should already be valid (checked inputs, our own state); a failure is a bug or tampering. */
export function parseOrThrow<S extends z.ZodTypeAny>(
  resource: string,
  what: string,
  schema: S,
  value: unknown,
): z.output<S> {
  const r = schema.safeParse(
    value === null || typeof value !== "object" ? value : stripNulls(value as Record<string, unknown>),
  );
  if (r.success) return r.data;
  throw new InvalidPropertiesError(
    resource,
    r.error.issues.map((i) => `${what}${i.path.length ? "." + i.path.join(".") : ""}: ${i.message}`),
  );
}

function stripNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== null && k !== "__provider"));
}

/**
 * The result of `check`: field failures plus cross-field ones, and the inputs to record — normalized values for the
 * fields that validated, the raw value for the others (so the engine shows what the program said).
 */
export function checkResult<S extends z.ZodRawShape>(
  shape: S,
  news: unknown,
  cross: (fc: FieldCheck<S>) => CheckFailure[],
  fc: FieldCheck<S> = checkFields(shape, news),
): pulumi.dynamic.CheckResult {
  const failures = [...fc.failures, ...cross(fc)];
  const inputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fc.raw)) {
    if (v === undefined || v === null) continue;
    inputs[k] = Object.prototype.hasOwnProperty.call(fc.values, k) ? (fc.values as Record<string, unknown>)[k] : v;
  }
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

export function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

/**
 * What `read` answers when the object still exists. Inputs are returned only when Quick BI differs from state: then
 * they carry the observed values, so the next preview shows the correction. Without drift the engine keeps the
 * program's own inputs (read never sees them, so it could not reproduce exactly which optional fields were set).
 */
export function readResult(
  id: string,
  previous: unknown,
  outs: Record<string, unknown>,
  inputs: () => Record<string, unknown>,
): pulumi.dynamic.ReadResult {
  const prev = previous !== null && typeof previous === "object" ? (previous as Record<string, unknown>) : {};
  if (recordedAs(prev, outs)) return { id, props: outs };
  return { id, props: outs, inputs: inputs() };
}

/**
 * Whether recorded properties (null values and `__provider` aside, as `stripNulls`) are exactly `outs`. Runs on every
 * read of a refresh, so it compares in place instead of copying the record first.
 */
function recordedAs(prev: Readonly<Record<string, unknown>>, outs: Readonly<Record<string, unknown>>): boolean {
  let n = 0;
  for (const k of Object.keys(prev)) {
    const v = prev[k];
    if (v === null || k === "__provider") continue;
    if (!Object.prototype.hasOwnProperty.call(outs, k)) return false;
    const w = outs[k];
    if (v !== w && !sameItems(v, w) && !isDeepStrictEqual(v, w)) return false;
    n++;
  }
  return n === Object.keys(outs).length;
}

/** Two arrays with the same items, each the same primitive (a membership's `userIds`). */
function sameItems(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
