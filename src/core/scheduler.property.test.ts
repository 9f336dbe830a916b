import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { drive, TimedExecutor } from "../testing/index.js";
import type { RunEvent } from "./events.js";
import { buildGraph } from "./graph.js";
import type { TaskGraph } from "./graph.js";
import { criticalPath, effectivePriorities, weightsFrom } from "./plan.js";
import { Breakers } from "./policies/breakers.js";
import { runGraph } from "./run-graph.js";
import { simulate } from "./simulate.js";
import type { ScheduledTask } from "./simulate.js";
import type { TaskSpec } from "./task-spec.js";
import { VirtualClock } from "./virtual-clock.js";

interface Scenario {
  readonly specs: TaskSpec<string>[];
  readonly durations: Record<string, number>;
  readonly concurrency: number;
}

/** Random DAGs: each task may depend on any earlier one; optional weights and mutexes. */
function scenarios(options: { weighted: boolean }): fc.Arbitrary<Scenario> {
  return fc
    .record({
      size: fc.integer({ min: 1, max: 24 }),
      concurrency: fc.integer({ min: 1, max: 5 }),
      seed: fc.array(
        fc.record({
          deps: fc.array(fc.nat(), { maxLength: 3 }),
          duration: fc.integer({ min: 1, max: 50 }),
          slots: fc.integer({ min: 1, max: 3 }),
          mutex: fc.option(fc.constantFrom("db", "port"), { nil: undefined }),
        }),
        { minLength: 24, maxLength: 24 },
      ),
    })
    .map(({ size, concurrency, seed }) => {
      const specs: TaskSpec<string>[] = [];
      const durations: Record<string, number> = {};
      for (let i = 0; i < size; i++) {
        const s = seed[i] ?? { deps: [], duration: 1, slots: 1, mutex: undefined };
        const id = `t${i}`;
        const dependsOn = i === 0 ? [] : [...new Set(s.deps.map((d) => `t${d % i}`))];
        const extra = options.weighted
          ? { slots: s.slots, ...(s.mutex === undefined ? {} : { mutex: s.mutex }) }
          : {};
        specs.push({ id, run: id, dependsOn, ...extra });
        durations[id] = s.duration;
      }
      return { specs, durations, concurrency };
    });
}

function checkSchedule(graph: TaskGraph, schedule: readonly ScheduledTask[], limit: number): void {
  graph.dependencies.forEach((deps, task) => {
    for (const dep of deps) {
      assert.ok(
        (schedule[task]?.start ?? 0) >= (schedule[dep]?.end ?? Infinity),
        "starts after its dependencies",
      );
    }
  });
  const times = [...new Set(schedule.map((s) => s.start))];
  for (const t of times) {
    const running = schedule.flatMap((s, i) => (s.start <= t && t < s.end ? [i] : []));
    const weight = running.reduce((sum, i) => sum + Math.min(graph.tasks[i]?.slots ?? 1, limit), 0);
    assert.ok(weight <= limit, "running weight within the limit");
    const mutexes = running.flatMap((i) => graph.tasks[i]?.mutex ?? []);
    assert.equal(new Set(mutexes).size, mutexes.length, "mutex groups never overlap");
  }
}

describe("scheduling properties over random DAGs", () => {
  it("respects dependencies, the slot limit and mutexes", () => {
    fc.assert(
      fc.property(scenarios({ weighted: true }), ({ specs, durations, concurrency }) => {
        const graph = buildGraph(specs);
        const { schedule } = simulate(graph, durations, { concurrency });
        assert.equal(schedule.filter(Boolean).length, specs.length);
        checkSchedule(graph, schedule, Math.min(concurrency, specs.length));
      }),
      { numRuns: 300 },
    );
  });

  it("never leaves a slot idle while a task is ready, and stays within Graham's bound", () => {
    fc.assert(
      fc.property(scenarios({ weighted: false }), ({ specs, durations, concurrency }) => {
        const graph = buildGraph(specs);
        const { schedule, makespanMs } = simulate(graph, durations, { concurrency });
        const m = Math.min(concurrency, specs.length);
        const events = [...new Set(schedule.flatMap((s) => [s.start, s.end]))];
        schedule.forEach((s, task) => {
          const ready = Math.max(
            0,
            ...(graph.dependencies[task] ?? []).map((d) => schedule[d]?.end ?? 0),
          );
          for (const t of events.filter((e) => e >= ready && e < s.start)) {
            const running = schedule.filter((o) => o.start <= t && t < o.end).length;
            assert.equal(running, m, `t${task} was ready at ${t} while a slot was idle`);
          }
        });
        const weights = weightsFrom(graph, durations);
        const work = weights.reduce((a, b) => a + b, 0);
        const cp = criticalPath(graph, weights).length;
        assert.ok(makespanMs >= Math.max(cp, work / m) - 1e-9);
        assert.ok(makespanMs <= work / m + (1 - 1 / m) * cp + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it("gives a task the highest priority of the tasks that depend on it, and dispatches by it", () => {
    const withPriorities = fc.tuple(
      scenarios({ weighted: false }),
      fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 24, maxLength: 24 }),
    );
    fc.assert(
      fc.property(withPriorities, ([{ specs, durations }, priorities]) => {
        const graph = buildGraph(specs.map((s, i) => ({ ...s, priority: priorities[i] ?? 0 })));
        const effective = effectivePriorities(graph);
        // By brute force: the highest priority among the task and everything reachable downstream.
        graph.tasks.forEach((task, i) => {
          let highest = task.priority ?? 0;
          const seen = new Set<number>();
          const stack = [i];
          for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
            highest = Math.max(highest, graph.tasks[t]?.priority ?? 0);
            for (const next of graph.dependents[t] ?? []) if (!seen.has(next)) stack.push(next);
            seen.add(t);
          }
          assert.equal(effective[i], highest);
        });
        // On one slot, whenever a task starts, no task ready then has a higher effective priority.
        const { schedule } = simulate(graph, durations, { concurrency: 1 });
        schedule.forEach((started, task) => {
          graph.tasks.forEach((_, other) => {
            const readyAt = Math.max(
              0,
              ...(graph.dependencies[other] ?? []).map((d) => schedule[d]?.end ?? Infinity),
            );
            const waiting =
              readyAt <= started.start && (schedule[other]?.start ?? 0) > started.start;
            if (waiting) assert.ok((effective[task] ?? 0) >= (effective[other] ?? 0));
          });
        });
      }),
      { numRuns: 200 },
    );
  });

  it("runs real runs like the simulator: same schedule, each task ends exactly once, same events every time", async () => {
    await fc.assert(
      fc.asyncProperty(scenarios({ weighted: true }), async ({ specs, durations, concurrency }) => {
        const graph = buildGraph(specs);
        const once = async () => {
          const clock = new VirtualClock();
          const events: RunEvent[] = [];
          const result = await drive(
            clock,
            runGraph(graph, {
              executor: new TimedExecutor(clock, durations),
              clock,
              concurrency,
              estimates: durations,
              breakers: new Breakers(),
              listeners: [(e) => events.push(e)],
              runId: "r",
            }),
          );
          return { result, events };
        };
        const first = await once();
        const second = await once();
        assert.deepEqual(second.events, first.events);
        const finished = first.events.flatMap((e) =>
          e.type === "task.finished" ? [e.taskId] : [],
        );
        assert.deepEqual([...finished].sort(), specs.map((s) => s.id).sort());
        const predicted = simulate(graph, durations, { concurrency });
        const actual = first.result.tasks.map((t) => ({
          id: t.id,
          slot: t.spans[0]?.slot,
          start: t.spans[0]?.start,
          end: t.spans[0]?.end,
        }));
        assert.deepEqual(actual, predicted.schedule);
      }),
      { numRuns: 60 },
    );
  });

  it("starts nothing after an abort, and ends every task exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarios({ weighted: false }),
        fc.integer({ min: 0, max: 100 }),
        async ({ specs, durations, concurrency }, abortAt) => {
          const clock = new VirtualClock();
          const controller = new AbortController();
          clock.setTimer(abortAt, () => controller.abort());
          const starts: number[] = [];
          const ended: string[] = [];
          const result = await drive(
            clock,
            runGraph(buildGraph(specs), {
              executor: new TimedExecutor(clock, durations),
              clock,
              concurrency,
              signal: controller.signal,
              breakers: new Breakers(),
              listeners: [
                (e) => {
                  if (e.type === "task.started") starts.push(e.time);
                  if (e.type === "task.finished") ended.push(e.taskId);
                  if (e.type === "tasks.finished") ended.push(...e.taskIds);
                },
              ],
            }),
          );
          assert.ok(starts.every((t) => t <= abortAt));
          assert.deepEqual([...ended].sort(), specs.map((s) => s.id).sort());
          if (result.status === "cancelled") {
            assert.ok(
              result.tasks.every(
                (t) => t.status !== "succeeded" || (t.spans[0]?.end ?? 0) <= abortAt,
              ),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
