/**
 * The task graphs the process runners are compared on. A task sleeps for its `seconds`, so
 * that a 2-core machine measures scheduling, not CPU contention.
 */

export interface BenchTask {
  readonly id: string;
  readonly seconds: number;
  readonly dependsOn: readonly string[];
}

export interface BenchDag {
  readonly name: string;
  readonly slots: number;
  readonly tasks: readonly BenchTask[];
}

const task = (id: string, seconds: number, dependsOn: string[] = []): BenchTask => ({
  id,
  seconds,
  dependsOn,
});

/**
 * Six packages, critical path core → utils → api = 5.0 s, 9.5 s of work on 2 slots: the
 * bound (5.0 s) is reached only if the chain to api never waits.
 */
export const sixPackages: BenchDag = {
  name: "six packages (critical path 5.0 s)",
  slots: 2,
  tasks: [
    task("core", 1.0),
    task("docs", 1.0),
    task("utils", 1.5, ["core"]),
    task("ui", 2.0, ["core"]),
    task("api", 2.5, ["utils"]),
    task("web", 1.5, ["ui"]),
  ],
};

/** The four 1 s tasks the two "first" graphs put beside their long work. */
const fourShort = (): BenchTask[] => ["a", "b", "c", "d"].map((x) => task(`one-${x}`, 1));

/** A 2 s → 2 s chain and four 1 s tasks on 2 slots: 4 s if the chain starts at once. */
export const chainFirst: BenchDag = {
  name: "chain first",
  slots: 2,
  tasks: [...fourShort(), task("chain-1", 2), task("chain-2", 2, ["chain-1"])],
};

/**
 * One 4 s task and four 1 s tasks on 2 slots: 4 s if the long task starts first, 5 s if it
 * waits for a slot. It is declared last and named to sort last, so that no runner starts it
 * first by declaration or alphabetical order: only knowing durations helps.
 */
export const longFirst: BenchDag = {
  name: "long task first",
  slots: 2,
  tasks: [...fourShort(), task("z-long", 4)],
};

/** mulberry32: a small seeded generator, so every run sees the same graphs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal number from `rand`'s numbers in [0, 1) (Box–Muller, one of the pair). */
export const normal = (rand: () => number): number =>
  Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

/**
 * A random layered DAG: `size` tasks in 4–8 layers, each depending on 1–3 tasks of earlier
 * layers, durations lognormal (σ = 0.9) around `medianSeconds`.
 */
export function layeredDag(
  seed: number,
  size: number,
  slots: number,
  medianSeconds = 1,
): BenchDag & { readonly durations: Record<string, number> } {
  const rand = random(seed);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const layers = 4 + Math.floor(rand() * 5);
  const tasks: BenchTask[] = [];
  const durations: Record<string, number> = {};
  const byLayer: string[][] = [];
  for (let i = 0; i < size; i++) {
    const layer = Math.min(layers - 1, Math.floor((i / size) * layers));
    const below = byLayer.slice(0, layer).flat();
    const id = `t${i}`;
    const fanIn = below.length === 0 ? 0 : 1 + Math.floor(rand() * 3);
    const dependsOn = [
      ...new Set(
        Array.from({ length: fanIn }, () => below[Math.floor(rand() * below.length)] ?? ""),
      ),
    ];
    const seconds = Math.round(1000 * medianSeconds * Math.exp(0.9 * normal())) / 1000;
    tasks.push(task(id, seconds, dependsOn));
    durations[id] = seconds * 1000;
    (byLayer[layer] ??= []).push(id);
  }
  return { name: `random layered, seed ${seed}`, slots, tasks, durations };
}

/** The same graph with every duration multiplied by `factor` (quick runs). */
export function scaled(dag: BenchDag, factor: number): BenchDag {
  return {
    ...dag,
    tasks: dag.tasks.map((t) => ({ ...t, seconds: Math.round(t.seconds * factor * 1000) / 1000 })),
  };
}

/** max(critical path, work / slots), in seconds: no schedule of the graph can be shorter. */
export function lowerBound(dag: BenchDag): number {
  const finish = new Map<string, number>();
  const byId = new Map(dag.tasks.map((t) => [t.id, t]));
  const longest = (id: string): number => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    const t = byId.get(id);
    if (t === undefined) throw new Error(`unknown task ${id}`);
    const value = t.seconds + Math.max(0, ...t.dependsOn.map(longest));
    finish.set(id, value);
    return value;
  };
  const path = Math.max(...dag.tasks.map((t) => longest(t.id)));
  const work = dag.tasks.reduce((sum, t) => sum + t.seconds, 0);
  return Math.max(path, work / dag.slots);
}
