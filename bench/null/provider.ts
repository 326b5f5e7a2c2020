/**
 * The null provider's methods, loaded by the dynamic-provider host (bench/null/resources.ts names this file's compiled
 * copy in `__provider`). Every method answers at once without any API: outputs are the inputs, a diff compares them.
 * Identity fields replace (delete first), like the package's memberships; everything else updates in place. Its calls
 * are traced like the package's (QUICKBI_PROVIDER_TRACE_FILE), so the engine's own cadence shows in the floor too.
 */
import { traced } from "../../provider/trace";

type Props = Record<string, unknown>;

/**
 * `QUICKBI_BENCH_NULL_WRITE_MS`: an experiment knob, unset in every bench run. Each create, update and delete waits
 * this long before it answers, as one API round trip would. With it, the null provider measures what the engine makes
 * of a provider whose only cost is one round trip per step (docs/scale.md, "Reading the numbers").
 */
export const NULL_WRITE_MS_ENV = "QUICKBI_BENCH_NULL_WRITE_MS";
const writeMs = Number(process.env[NULL_WRITE_MS_ENV] ?? 0) || 0;
const roundTrip = (): Promise<void> =>
  writeMs > 0 ? new Promise((resolve) => setTimeout(resolve, writeMs)) : Promise.resolve();

const IDENTITY = ["workspaceId", "userGroupId", "userId"];

const nullProvider = {
  async check(_olds: Props, news: Props): Promise<{ inputs: Props }> {
    return { inputs: news };
  },
  async diff(
    _id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== "__provider");
    const changed = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const replaces = changed.filter((k) => IDENTITY.includes(k));
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
  },
  async create(inputs: Props): Promise<{ id: string; outs: Props }> {
    await roundTrip();
    const target = String(inputs.workspaceId ?? inputs.userGroupId);
    return { id: `${target}:${String(inputs.userId ?? "set")}`, outs: inputs };
  },
  async read(id: string, props?: Props): Promise<{ id: string; props: Props }> {
    return { id, props: props ?? {} };
  },
  async update(_id: string, _olds: Props, news: Props): Promise<{ outs: Props }> {
    await roundTrip();
    return { outs: news };
  },
  async delete(): Promise<void> {
    await roundTrip();
  },
};

export const provider = traced("null", nullProvider);
