/**
 * Disjoint sets over 0…n-1. Clustering with it is transitive (A~B, B~C puts A, B, C together)
 * and the resulting partition does not depend on the order pairs are linked in.
 */
export class UnionFind {
  private readonly parent: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] ?? root;
    let node = i;
    while (node !== root) {
      const next = this.parent[node] ?? root;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Clusters items: every pair `same` accepts ends up in one group (transitively). */
export function clusterBy<T>(items: readonly T[], same: (a: T, b: T) => boolean): T[][] {
  const sets = new UnionFind(items.length);
  items.forEach((a, i) => {
    items.forEach((b, j) => {
      if (j > i && sets.find(i) !== sets.find(j) && same(a, b)) sets.union(i, j);
    });
  });
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group) group.push(item);
    else groups.set(root, [item]);
  });
  return [...groups.values()];
}
