/**
 * The best list schedule of a small graph on `slots` identical slots, by branch and bound over
 * the dispatch decisions: whenever a slot is free and tasks are ready, each ready task in turn
 * is started next. Every priority list yields such a sequence and every sequence comes from
 * one (its dispatch order), so this is the optimum over all priority lists, without
 * simulating n! lists.
 */
export interface SmallDag {
  /** Dependencies of each task, by index. */
  readonly dependencies: readonly (readonly number[])[];
  readonly durations: readonly number[];
}

export function bestListSchedule(dag: SmallDag, slots: number): number {
  const n = dag.durations.length;
  const dependents: number[][] = dag.dependencies.map(() => []);
  dag.dependencies.forEach((deps, t) => deps.forEach((d) => dependents[d]?.push(t)));
  const tail = new Array<number>(n).fill(0);
  const order = topological(dag.dependencies, dependents);
  for (let k = n - 1; k >= 0; k--) {
    const t = order[k] ?? 0;
    tail[t] =
      (dag.durations[t] ?? 0) + Math.max(0, ...(dependents[t] ?? []).map((d) => tail[d] ?? 0));
  }
  let best = Infinity;
  const waiting = dag.dependencies.map((d) => d.length);
  const running: { task: number; end: number }[] = [];
  const ready = new Set<number>();
  for (let t = 0; t < n; t++) if (waiting[t] === 0) ready.add(t);
  let left = dag.durations.reduce((a, b) => a + b, 0);

  const search = (now: number, from = 0): void => {
    // Bound: running ends, remaining paths, remaining work spread over the slots.
    let bound = now;
    for (const r of running) bound = Math.max(bound, r.end);
    for (const t of ready) bound = Math.max(bound, now + (tail[t] ?? 0));
    const busy = running.reduce((s, r) => s + (r.end - now), 0);
    bound = Math.max(bound, now + (left + busy) / slots);
    if (bound >= best) return;
    if (running.length < slots && ready.size > 0) {
      // Tasks started at one instant form a set: each set once, in increasing index.
      for (const t of [...ready]) {
        if (t < from) continue;
        ready.delete(t);
        left -= dag.durations[t] ?? 0;
        running.push({ task: t, end: now + (dag.durations[t] ?? 0) });
        search(now, t + 1);
        running.pop();
        left += dag.durations[t] ?? 0;
        ready.add(t);
      }
      return;
    }
    if (running.length === 0) {
      best = Math.min(best, now);
      return;
    }
    // Advance to the first end (ties: the lowest index ends first; order does not change the span).
    let first = 0;
    running.forEach((r, i) => {
      if (r.end < (running[first]?.end ?? Infinity)) first = i;
    });
    const [done] = running.splice(first, 1);
    if (done === undefined) return;
    const freed: number[] = [];
    for (const d of dependents[done.task] ?? []) {
      waiting[d] = (waiting[d] ?? 0) - 1;
      if (waiting[d] === 0) {
        ready.add(d);
        freed.push(d);
      }
    }
    search(done.end);
    for (const d of freed) ready.delete(d);
    for (const d of dependents[done.task] ?? []) waiting[d] = (waiting[d] ?? 0) + 1;
    running.splice(first, 0, done);
  };
  search(0);
  return best;
}

function topological(deps: readonly (readonly number[])[], dependents: number[][]): number[] {
  const waiting = deps.map((d) => d.length);
  const order: number[] = [];
  for (let t = 0; t < deps.length; t++) if (waiting[t] === 0) order.push(t);
  for (let h = 0; h < order.length; h++)
    for (const d of dependents[order[h] ?? 0] ?? []) if (--waiting[d]! === 0) order.push(d);
  return order;
}
