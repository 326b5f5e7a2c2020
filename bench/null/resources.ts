/**
 * The floor: null resources with the package's type tokens (`pulumi-nodejs:dynamic/quickbi:WorkspaceMembership`, …)
 * and the same arguments, registered as the package registers its own (a custom resource of the `pulumi-nodejs`
 * provider whose `__provider` is a one-line text), but whose provider answers every method at once with no API
 * (bench/null/provider.ts). The engine, the host, the checkpoint and the program then cost what they cost for this
 * program, and nothing is spent on Quick BI. The text names the compiled provider by absolute path: a bench runs
 * the host on this machine.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { findRepoRoot } from "../../engine/workspace";
import { typeToken } from "../../provider/resources/quickbiResource";
import type { GroupMembershipArgs, WorkspaceMembershipArgs } from "../../provider";

let text: string | undefined;

/** `__provider` of every null resource. */
export function nullProviderText(): string {
  if (text === undefined) {
    const file = path.join(findRepoRoot(__dirname), "bin", "bench", "null", "provider.js");
    text = `exports.handler = () => require(${JSON.stringify(file)}).provider;\n`;
  }
  return text;
}

export class NullWorkspaceMembership extends pulumi.CustomResource {
  constructor(name: string, args: WorkspaceMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(typeToken("workspaceMembership"), name, { ...args, __provider: nullProviderText() }, opts);
  }
}

export class NullGroupMembership extends pulumi.CustomResource {
  constructor(name: string, args: GroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(typeToken("groupMembership"), name, { ...args, __provider: nullProviderText() }, opts);
  }
}
