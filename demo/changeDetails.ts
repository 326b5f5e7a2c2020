/**
 * What exactly changes in an update or replace, the way the CLI's `[diff: ~role]` details read. The provider host
 * reports only *that* a resource changes (pulumi/pulumi#3080), so the demo compares the inputs in state with the
 * inputs the program declares now, obtained by running the same program under the mock monitor.
 */
import { UNKNOWN, type PropertyMap } from "../engine/host";
import { runProgram, type ProgramFn } from "../engine/program";
import type { PriorResource } from "./demoEngine";
import type { StackSettings } from "./phases";
import { WORKSPACE_ROLES } from "../provider/api/roles";
import { roleName, type Names } from "./quickbiView";

export interface Declared {
  inputs: PropertyMap;
  secretInputs: string[];
}

/** The inputs each custom resource is declared with under `settings`; resources in state answer with their outputs. */
export async function declaredInputs(
  program: ProgramFn,
  settings: StackSettings,
  project: string,
  stack: string,
  prior: Map<string, PriorResource>,
): Promise<Map<string, Declared>> {
  const run = await runProgram(program, {
    project,
    stack,
    config: settings.values,
    secretKeys: settings.secretKeys,
    preview: true,
    onRegister: async (reg) => {
      const p = prior.get(reg.urn);
      return p ? { id: p.id, outputs: p.outputs } : { outputs: {} };
    },
  });
  if (run.errors.length > 0) throw new Error(`the program failed: ${run.errors.map((e) => e.message).join("; ")}`);
  return new Map(
    run.registrations.filter((r) => r.custom).map((r) => [r.urn, { inputs: r.inputs, secretInputs: r.secretInputs }]),
  );
}

/** Internal inputs (`__provider`, `__urn`, ...) are the package's business, not the reader's. */
const isHidden = (k: string) => k.startsWith("__");

/** Keys whose numbers are workspace role ids. */
const ROLE_KEYS = new Set(["roleId", "userRoles"]);

function show(v: unknown, names: Names, key = ""): string {
  if (v === UNKNOWN) return "(known after apply)";
  if (typeof v === "number" && ROLE_KEYS.has(key)) return roleName(v);
  if (typeof v === "string") return names.of(v);
  if (Array.isArray(v)) return v.map((x) => show(x, names)).join(", ");
  return JSON.stringify(v);
}

/** `role: analyst→viewer`, `userIds: +Priya New −Omar Ops`, `workspaceId: Sales Analytics→Finance`. */
export function describeInputChanges(
  old: PropertyMap,
  now: Declared,
  oldSecret: readonly string[],
  names: Names,
): string[] {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now.inputs)])].filter((k) => !isHidden(k)).sort();
  const out: string[] = [];
  for (const k of keys) {
    const a = old[k];
    const b = now.inputs[k];
    if (oldSecret.includes(k) || now.secretInputs.includes(k)) {
      if (oldSecret.includes(k) !== now.secretInputs.includes(k) || JSON.stringify(a) !== JSON.stringify(b))
        out.push(`${k}: [secret]`);
      continue;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (isRecord(a) && isRecord(b)) {
      // e.g. userRoles: one line per member whose role changed
      for (const sub of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (JSON.stringify(a[sub]) === JSON.stringify(b[sub])) continue;
        out.push(
          `${k}[${names.of(sub)}]: ${a[sub] === undefined ? "(none)" : show(a[sub], names, k)}→${b[sub] === undefined ? "(none)" : show(b[sub], names, k)}`,
        );
      }
    } else if (Array.isArray(a) && Array.isArray(b)) {
      const added = b.filter((x) => !a.includes(x)).map((x) => `+${show(x, names)}`);
      const removed = a.filter((x) => !b.includes(x)).map((x) => `-${show(x, names)}`);
      out.push(`${k}: ${[...added, ...removed].join(" ") || "reordered"}`);
    } else if (a === undefined || a === null) {
      out.push(`${k}: +${show(b, names)}`);
    } else if (b === undefined || b === null) {
      out.push(`${k}: -${show(a, names)}`);
    } else {
      out.push(`${k}: ${show(a, names, k)}→${show(b, names, k)}`);
    }
  }
  return out;
}

/** For a create: the declared inputs in short (`role=analyst userIds=Nora New, Arjun Analyst`). */
export function describeInputs(now: Declared, names: Names): string {
  const keys = [...new Set([...Object.keys(now.inputs), ...now.secretInputs])].sort();
  return keys
    .filter(
      (k) => !isHidden(k) && (now.secretInputs.includes(k) || (now.inputs[k] !== undefined && now.inputs[k] !== null)),
    )
    .map((k) => `${k}=${now.secretInputs.includes(k) ? "[secret]" : show(now.inputs[k], names, k)}`)
    .join("  ");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * An update whose inputs did not change is a correction of drift that a refresh recorded in the outputs. For a
 * WorkspaceMembership that is `userRoles`: the role each member was last seen to hold.
 */
export function describeDrift(outputs: PropertyMap, now: Declared, names: Names): string[] {
  const role = now.inputs.role;
  const userRoles = outputs.userRoles;
  if (!isRecord(userRoles) || role === undefined || role === UNKNOWN) return [];
  const want = typeof role === "number" ? role : WORKSPACE_ROLES[String(role) as keyof typeof WORKSPACE_ROLES];
  if (want === undefined) return [];
  return Object.entries(userRoles)
    .filter(([, held]) => held !== want)
    .map(
      ([u, held]) =>
        `${names.of(u)} holds ${typeof held === "number" ? roleName(held) : String(held)}, declared ${roleName(want)}`,
    );
}
