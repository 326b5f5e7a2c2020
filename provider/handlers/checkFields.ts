/**
 * Field-by-field validation for `check`: every problem is reported (not only the first), each as
 * `{property, reason}` with the offending value quoted, and fields that are unknown during preview are skipped.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { RESERVED_KEYS } from "../contract/hiddenInputs";
import { containsUnknown } from "./unknown";

export type CheckFailure = pulumi.dynamic.CheckFailure;

export interface FieldCheck<S extends z.ZodRawShape> {
  /** Parsed (normalized) values of the fields that were present, known and valid. */
  readonly values: { [K in keyof S]?: z.output<S[K]> };
  /** Fields whose value is (or contains) the preview sentinel: present, but not validated. */
  readonly unknown: ReadonlySet<keyof S & string>;
  /** Fields that were present in the input (known or not). */
  readonly present: ReadonlySet<keyof S & string>;
  readonly failures: CheckFailure[];
  /** The input as given (for rules about values that did not validate as a whole, such as a partly unknown list). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Renders a value for a reason text: short, JSON-ish, never the whole of a huge list. */
export function show(v: unknown): string {
  if (v === undefined) return "nothing";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export function propertyPath(key: string, path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : `${acc}.${p}`), key);
}

/**
 * Validates each field of `input` against its schema in `shape`. Missing required fields and properties the resource
 * does not know are failures too (a typo in a program that bypasses the TypeScript types would otherwise be ignored).
 */
export function checkFields<S extends z.ZodRawShape>(shape: S, input: unknown): FieldCheck<S> {
  const failures: CheckFailure[] = [];
  const values: Record<string, unknown> = {};
  const unknown = new Set<string>();
  const present = new Set<string>();
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    failures.push({ property: "", reason: `inputs must be an object, got ${show(input)}` });
    return { values: values as FieldCheck<S>["values"], unknown, present, failures, raw: {} };
  }
  const bag = input as Record<string, unknown>;
  for (const key of Object.keys(bag)) {
    if (RESERVED_KEYS.has(key) || Object.prototype.hasOwnProperty.call(shape, key)) continue;
    failures.push({
      property: key,
      reason: `unknown property "${key}"; valid properties are ${Object.keys(shape).join(", ")}`,
    });
  }
  for (const [key, schema] of Object.entries(shape)) {
    const raw = bag[key];
    if (raw !== undefined && raw !== null) present.add(key);
    if (containsUnknown(raw)) {
      unknown.add(key);
      continue;
    }
    // Pulumi sends an unset optional input as absent or null; both mean "not set".
    const parsed = schema.safeParse(raw === null ? undefined : raw);
    if (parsed.success) {
      if (parsed.data !== undefined) values[key] = parsed.data;
      continue;
    }
    for (const issue of parsed.error.issues) {
      const got = valueAt(raw, issue.path);
      const property = propertyPath(key, issue.path);
      const reason =
        issue.code === "invalid_type" && issue.received === "undefined"
          ? `${property} is required: ${issue.message}`
          : `${property} ${issue.message} (got ${show(got)})`;
      failures.push({ property, reason });
    }
  }
  return { values: values as FieldCheck<S>["values"], unknown, present, failures, raw: bag };
}

/** Position(s) of each repeated element, so a reason can say where the first copy is. */
export function duplicates(items: readonly string[]): { index: number; firstIndex: number; value: string }[] {
  const seen = new Map<string, number>();
  const out: { index: number; firstIndex: number; value: string }[] = [];
  items.forEach((value, index) => {
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else out.push({ index, firstIndex: first, value });
  });
  return out;
}
