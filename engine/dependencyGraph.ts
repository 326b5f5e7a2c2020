// The state's dependency graph, read as the engine reads it (pkg/resource/graph/dependency_graph.go): the state is in
// dependency order, and a resource depends on the earlier resources named in its dependencies, property dependencies
// or deletedWith, on its parent, and on the descendants of a component it depends on.
import type { ResourceState } from "./state";

function namedDependencies(r: ResourceState): Set<string> {
  const urns = new Set(r.dependencies);
  for (const deps of Object.values(r.propertyDependencies ?? {})) for (const d of deps) urns.add(d);
  if (r.deletedWith) urns.add(r.deletedWith);
  return urns;
}

export class DependencyGraph {
  private readonly index = new Map<ResourceState, number>();
  /** Indexes of every descendant of a URN (children, grandchildren, ...). */
  private readonly descendants = new Map<string, number[]>();

  constructor(readonly resources: readonly ResourceState[]) {
    const byUrn = new Map<string, ResourceState>();
    resources.forEach((r, i) => {
      this.index.set(r, i);
      byUrn.set(r.urn, r);
      for (let parent = r.parent; parent; parent = byUrn.get(parent)?.parent ?? "") {
        const list = this.descendants.get(parent) ?? [];
        list.push(i);
        this.descendants.set(parent, list);
      }
    });
  }

  /** What `r` depends on directly (DependenciesOf). */
  dependenciesOf(r: ResourceState): Set<ResourceState> {
    const out = new Set<ResourceState>();
    const at = this.index.get(r);
    if (at === undefined) return out;
    const named = namedDependencies(r);
    for (let i = at - 1; i >= 0; i--) {
      const candidate = this.resources[i];
      if (named.has(candidate.urn)) {
        out.add(candidate);
        // A component stands for its children: those before `r` are dependencies too.
        if (!candidate.custom)
          for (const c of this.descendants.get(candidate.urn) ?? []) if (c < at) out.add(this.resources[c]);
      }
      if (candidate.urn === r.parent) out.add(candidate);
    }
    return out;
  }

  /** Everything `r` depends on, directly or not. */
  transitiveDependenciesOf(r: ResourceState): Set<ResourceState> {
    const out = new Set<ResourceState>();
    const visit = (x: ResourceState) => {
      for (const d of this.dependenciesOf(x)) {
        if (out.has(d)) continue;
        out.add(d);
        visit(d);
      }
    };
    visit(r);
    return out;
  }

  /** The resources after `root` that depend on it, directly or not, parents aside (DependingOn without children). */
  dependingOn(root: ResourceState, ignore: ReadonlySet<string>): ResourceState[] {
    const at = this.index.get(root);
    if (at === undefined) return [];
    const set = new Set([root.urn]);
    const out: ResourceState[] = [];
    for (let i = at + 1; i < this.resources.length; i++) {
      const c = this.resources[i];
      if (ignore.has(c.urn)) continue;
      if ([...namedDependencies(c)].some((u) => set.has(u))) {
        out.push(c);
        set.add(c.urn);
      }
    }
    return out;
  }
}

/**
 * The order of deletions (ScheduleDeletes): layers that may run in parallel, each to its end before the next. The
 * layers are found from the roots: first the condemned resources that depend on no other condemned one, then those
 * that depend only on the first layer, and so on; deleting goes the other way. So a resource is deleted in the layer
 * of its depth, not as soon as its own dependents are gone (an independent resource waits for the deepest layer).
 */
export function scheduleDeletes(condemned: readonly ResourceState[], graph: DependencyGraph): ResourceState[][] {
  const left = new Set(condemned);
  const layers: ResourceState[][] = [];
  while (left.size > 0) {
    const layer = [...left].filter((r) => ![...graph.dependenciesOf(r)].some((d) => left.has(d)));
    if (layer.length === 0) throw new Error(`dependency cycle among ${[...left].map((r) => r.urn).join(", ")}`);
    for (const r of layer) left.delete(r);
    layers.push(layer);
  }
  return layers.reverse();
}
