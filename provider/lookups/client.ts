/**
 * The Quick BI client lookups use in the PROGRAM process (not the provider host). It follows the resources' rules:
 * stack config `quickbi:*` (read here through the program's own config), then the environment, then the credential
 * chain — the same `resolveSettings`, resolved on the first lookup and never at module load.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { QuickBICaller } from "../api/call";
import { createClient } from "../api/client";
import { KEYS, type ConfigSource, type EnvSource } from "../api/settings";

export interface LookupOptions {
  /** Use this caller instead of one built from stack config + environment (tests, or a program with its own client). */
  readonly client?: QuickBICaller;
  /** Where `quickbi:*` keys are read; default: the stack config of the running Pulumi program. */
  readonly config?: ConfigSource;
  /** Default: `process.env`. */
  readonly env?: EnvSource;
}

/** The running program's stack config, fully qualified keys (`quickbi:endpoint`), read without secret warnings. */
export const programConfig: ConfigSource = {
  get: (key: string) => pulumi.runtime.getConfig(key),
};

const shared = new Map<string, Promise<QuickBICaller>>();

/** Which settings a client was built from, as a digest (the values include the secret, which must not sit in a key). */
function fingerprint(config: ConfigSource, env: EnvSource): string {
  const h = createHash("sha256");
  for (const k of Object.values(KEYS)) {
    h.update(`${config.get(k.config) ?? ""}\0`);
    for (const e of k.env) h.update(`${env[e] ?? ""}\0`);
  }
  return h.digest("hex");
}

/**
 * Lookups with the same settings share one client (one rate limiter, one credential resolution). A failed resolution
 * is not cached: fixing the config and running again must work.
 */
export function lookupClient(opts: LookupOptions = {}): Promise<QuickBICaller> {
  if (opts.client) return Promise.resolve(opts.client);
  const config = opts.config ?? programConfig;
  const env = opts.env ?? process.env;
  const key = fingerprint(config, env);
  let pending = shared.get(key);
  if (pending === undefined) {
    const created: Promise<QuickBICaller> = createClient(config, env);
    created.catch(() => {
      if (shared.get(key) === created) shared.delete(key);
    });
    shared.set(key, created);
    pending = created;
  }
  return pending;
}
