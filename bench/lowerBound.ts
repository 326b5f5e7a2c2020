/**
 * The fewest Quick BI API calls a phase can take, computed from the access the scenario holds before and after it
 * (docs/scale.md, has the formula):
 * - writes: workspace adds and role changes go one call per (workspace, role) per 1000 users (AddWorkspaceUsers,
 *   UpdateWorkspaceUsersRole); group adds take either shape Quick BI offers, AddUserGroupMember (one group, ≤ 1000
 *   users) or AddUserGroupMembers (one user, ≤ 1000 groups): the fewest calls covering every new (group, user) pair
 *   is a minimum weighted vertex cover of that bipartite graph (a max-flow min-cut, König), each vertex weighing
 *   ceil(its pairs / 1000);
 * - deletes: DeleteUserFromWorkspace has no batch form (one call per membership); a user leaving groups needs one
 *   DeleteUserGroupMembers (one user, ≤ 1000 groups), and no call removes many users from a group, so one call per
 *   leaving user per 1000 groups;
 * - reads: a refresh lists every workspace and group holding managed members, one page per 1000 members (the page
 *   size's maximum; a workspace's owner is a member too). Writing phases need no read: the batch writes answer per
 *   user (an existing member is reported, not overwritten).
 */
import { parseKey, type Access, type PhaseSpec, type Scenario } from "./scenarios/scenario";
import type { LowerBound } from "./results";

export const PER_CALL = 1000;

const calls = (n: number) => Math.ceil(n / PER_CALL);

function countBy<K>(keys: Iterable<K>): Map<K, number> {
  const out = new Map<K, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

/** Edmonds–Karp max flow on a small graph given as capacity maps. */
function maxFlow(cap: Map<string, Map<string, number>>, source: string, sink: string): number {
  const residual = new Map<string, Map<string, number>>();
  const edge = (a: string) => {
    if (!residual.has(a)) residual.set(a, new Map());
    return residual.get(a)!;
  };
  for (const [a, outs] of cap) {
    for (const [b, c] of outs) {
      edge(a).set(b, (edge(a).get(b) ?? 0) + c);
      if (!edge(b).has(a)) edge(b).set(a, 0);
    }
  }
  let flow = 0;
  for (;;) {
    const prev = new Map<string, string>([[source, source]]);
    const queue = [source];
    for (let i = 0; i < queue.length && !prev.has(sink); i++) {
      for (const [b, c] of residual.get(queue[i]) ?? []) {
        if (c > 0 && !prev.has(b)) {
          prev.set(b, queue[i]);
          queue.push(b);
        }
      }
    }
    if (!prev.has(sink)) return flow;
    let push = Infinity;
    for (let v = sink; v !== source; v = prev.get(v)!) push = Math.min(push, residual.get(prev.get(v)!)!.get(v)!);
    for (let v = sink; v !== source; v = prev.get(v)!) {
      const u = prev.get(v)!;
      residual.get(u)!.set(v, residual.get(u)!.get(v)! - push);
      residual.get(v)!.set(u, residual.get(v)!.get(u)! + push);
    }
    flow += push;
  }
}

/**
 * The fewest calls adding (group, user) pairs when a call is either one group with ≤ 1000 users or one user with
 * ≤ 1000 groups: the minimum weighted vertex cover of the pairs' bipartite graph, as a min cut.
 */
export function groupAddCalls(pairs: readonly (readonly [group: string, user: string])[]): number {
  if (pairs.length === 0) return 0;
  const byGroup = countBy(pairs.map(([g]) => g));
  const byUser = countBy(pairs.map(([, u]) => u));
  const cap = new Map<string, Map<string, number>>();
  const add = (a: string, b: string, c: number) => {
    if (!cap.has(a)) cap.set(a, new Map());
    cap.get(a)!.set(b, c);
  };
  for (const [g, n] of byGroup) add("S", `g:${g}`, calls(n));
  for (const [u, n] of byUser) add(`u:${u}`, "T", calls(n));
  for (const [g, u] of pairs) add(`g:${g}`, `u:${u}`, Infinity);
  return maxFlow(cap, "S", "T");
}

/** Members each workspace / group in `access` has, the workspace owner included. */
function listingPages(access: Access): number {
  const ws = countBy(
    [...access.keys()]
      .map(parseKey)
      .filter((k) => k.kind === "ws")
      .map((k) => k.target),
  );
  const groups = countBy(
    [...access.keys()]
      .map(parseKey)
      .filter((k) => k.kind === "grp")
      .map((k) => k.target),
  );
  let pages = 0;
  for (const n of ws.values()) pages += calls(n + 1);
  for (const n of groups.values()) pages += calls(n);
  return pages;
}

export function lowerBound(
  scenario: Scenario,
  users: number,
  phase: PhaseSpec,
  before: Access,
  qps: number,
): LowerBound {
  const after = scenario.access(users, phase.stage);
  let writes = 0;
  let reads = 0;
  let deletes = 0;
  if (phase.op === "refresh") {
    reads = listingPages(before);
  } else {
    const wsAdds: string[] = [];
    const wsRoles: string[] = [];
    const groupAdds: [string, string][] = [];
    const groupLeavers: string[] = [];
    for (const [key, role] of after) {
      const k = parseKey(key);
      const old = before.get(key);
      if (k.kind === "ws" && old === undefined) wsAdds.push(`${k.target}|${role}`);
      else if (k.kind === "ws" && old !== role) wsRoles.push(`${k.target}|${role}`);
      else if (k.kind === "grp" && old === undefined) groupAdds.push([k.target, k.user]);
    }
    for (const key of before.keys()) {
      if (after.has(key)) continue;
      const k = parseKey(key);
      if (k.kind === "ws") deletes++;
      else groupLeavers.push(k.user);
    }
    for (const n of countBy(wsAdds).values()) writes += calls(n);
    for (const n of countBy(wsRoles).values()) writes += calls(n);
    writes += groupAddCalls(groupAdds);
    for (const n of countBy(groupLeavers).values()) deletes += calls(n);
  }
  return {
    scenario: scenario.name,
    users,
    phase: phase.name,
    writes,
    reads,
    deletes,
    total: writes + reads + deletes,
    deletesAtLimitMs: Math.round((deletes / qps) * 1000),
  };
}

/** Every phase's lower bound, in the scenario's order. */
export function lowerBounds(scenario: Scenario, users: number, qps: number): LowerBound[] {
  let before: Access = new Map();
  return scenario.phases.map((phase) => {
    const lb = lowerBound(scenario, users, phase, before, qps);
    before = scenario.access(users, phase.stage);
    return lb;
  });
}
