/**
 * Returns one dependency cycle among the tasks left out of a topological order, spelled from
 * its earliest-declared task back to itself: [a, b, a] means a depends on b, b depends on a.
 */
export function findCycle(
  dependencies: readonly (readonly number[])[],
  ordered: readonly number[],
): number[] {
  const done = new Uint8Array(dependencies.length);
  for (const i of ordered) done[i] = 1;
  // Every task left out still waits on another left-out task, so walking from one of them
  // along left-out dependencies must come back to a task already seen.
  const start = done.indexOf(0);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  let current = start;
  while (!seenAt.has(current)) {
    seenAt.set(current, walk.length);
    walk.push(current);
    current = (dependencies[current] ?? []).find((dep) => done[dep] === 0) ?? current;
  }
  const cycle = walk.slice(seenAt.get(current));
  const first = cycle.indexOf(Math.min(...cycle));
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0] ?? start];
}
