// A resource registration as the engine receives it from a program (RegisterResourceRequest), read the engine's way:
// URNs built from the parent's type chain, secrets unwrapped (the provider host never sees the SDK's wrappers).
import type { PropertyMap } from "./wire";

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

export function unwrapMap(raw: PropertyMap): { plain: PropertyMap; secretKeys: string[] } {
  const plain: PropertyMap = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const r = unwrapSecrets(v);
    plain[k] = r.value;
    if (r.secret) secretKeys.push(k);
  }
  return { plain, secretKeys };
}

export function wrapSecret(value: unknown): unknown {
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
