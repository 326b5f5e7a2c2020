/**
 * What every resource this package defines registers (program side). A Pulumi dynamic resource is a custom resource
 * of the `pulumi-nodejs` provider whose `__provider` input is the text the provider host loads; each resource
 * registers that text directly (contract/providerText.ts) instead of going through `pulumi.dynamic.Resource`'s
 * closure serializer, and adds the two hidden inputs the host cannot learn otherwise: the resource's URN and which
 * inputs are secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRETS_KEY, URN_KEY } from "../contract/hiddenInputs";
import { TYPE_MODULE, TYPE_NAMES, type ResourceKind } from "../contract/kinds";
import { providerText } from "../contract/providerText";

export function typeToken(kind: ResourceKind): string {
  return `pulumi-nodejs:dynamic/${TYPE_MODULE}:${TYPE_NAMES[kind]}`;
}

/**
 * The URN the engine will give the resource, computed from the name, the type token and the parent (enough for every
 * resource this package defines; aliases do not change the URN).
 */
function urnInput(name: string, type: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.Output<string> {
  // No parent means the stack, which the engine leaves out of URNs (as createUrn does).
  const urn = pulumi.createUrn(name, type, opts?.parent);
  // createUrn's Output carries the parent as a dependency. A dependency on a component stands for all of its
  // children, so two resources under one component would each wait for the other: a deadlock. The URN is a name,
  // not a dependency: pass the value on without the resources.
  return pulumi.output(new Promise<string>((resolve) => urn.apply(resolve)));
}

/** Names of the arguments the program passed as secret Outputs (e.g. from `config.requireSecret`). */
function secretInputs(args: Readonly<Record<string, unknown>>): pulumi.Output<string[] | undefined> {
  const names = Promise.all(
    Object.entries(args).map(async ([k, v]) =>
      pulumi.Output.isInstance(v) && (await pulumi.isSecret(v)) ? k : undefined,
    ),
  ).then((ks) => {
    const secret = ks.filter((k): k is string => k !== undefined);
    // Absent rather than empty: most resources have no secret input, and every byte is stored twice per checkpoint.
    return secret.length > 0 ? secret : undefined;
  });
  return pulumi.output(names);
}

/**
 * What a resource of this package passes to `pulumi.CustomResource`: its type token, name, inputs (its arguments, the
 * output-only properties registered as undefined so the SDK creates their Output properties on the instance,
 * `__provider` and the hidden inputs) and options.
 *
 * Each resource class extends `pulumi.CustomResource` directly and spreads this into its `super(...)`: the SDK takes
 * the resource's source position (and the stack trace it stores in the checkpoint) four frames up from
 * `new Resource`, i.e. it assumes exactly one class between `CustomResource` and the program. A shared base class
 * would put the position inside this package (`provider/resources/…`) instead of the user's line, and store one
 * more frame per resource in every checkpoint rewrite.
 */
export function registration(
  kind: ResourceKind,
  name: string,
  args: object,
  outputOnly: readonly string[],
  opts: pulumi.CustomResourceOptions | undefined,
): [type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined] {
  const type = typeToken(kind);
  const argBag = args as Readonly<Record<string, unknown>>;
  const props: pulumi.Inputs = {
    ...Object.fromEntries(outputOnly.map((k) => [k, undefined])),
    ...argBag,
    __provider: providerText(kind),
    [URN_KEY]: urnInput(name, type, opts),
    [SECRETS_KEY]: secretInputs(argBag),
  };
  return [type, name, props, opts];
}
