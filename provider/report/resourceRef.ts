/**
 * Which resource a provider call is about. The host does not pass the URN to a dynamic provider, so this package's
 * membership resources carry it as the hidden input `__urn` (computed in the program with `pulumi.createUrn`). It names
 * the resource in the access report, attaches provider logs to the resource in the CLI's display, and keys the
 * per-process claims that detect authoritative and additive resources mixed on one workspace or group.
 */
import * as pulumi from "@pulumi/pulumi";

export const URN_KEY = "__urn";

export interface ResourceRef {
  readonly urn?: string;
  /** The logical name (last URN segment). */
  readonly name?: string;
}

export function resourceRefOf(props: unknown): ResourceRef {
  if (props === null || typeof props !== "object") return {};
  const urn = (props as Record<string, unknown>)[URN_KEY];
  if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) return {};
  return { urn, name: urn.slice(urn.lastIndexOf("::") + 2) };
}

/**
 * What `pulumi.log.*` needs of a resource: its URN. The real Resource object lives in the program process; this
 * stand-in lets the CLI show the message under the right resource.
 */
export function logTarget(ref: ResourceRef): pulumi.Resource | undefined {
  if (ref.urn === undefined) return undefined;
  const urn = ref.urn;
  return { urn: { promise: () => Promise.resolve(urn) } } as unknown as pulumi.Resource;
}

/**
 * The `__urn` input a membership resource registers with: the URN the engine will give it, computed from the name,
 * the type token and the parent (enough for every resource this package defines; aliases do not change the URN).
 */
export function urnInput(name: string, typeToken: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.Output<string> {
  // No parent means the stack, which the engine leaves out of URNs (as createUrn does). Passing the stack resource
  // itself would wait on its URN, which in a mocked run resolves only after the program's registrations.
  const urn = pulumi.createUrn(name, typeToken, opts?.parent);
  // createUrn's Output carries the parent as a dependency. A dependency on a component stands for all of its
  // children, so two memberships under one component would each wait for the other: a deadlock (the program never
  // registers them). The URN is a name, not a dependency: pass the value on without the resources.
  return pulumi.output(new Promise<string>((resolve) => urn.apply(resolve)));
}
