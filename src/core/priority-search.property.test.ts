import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildGraph } from "./graph.js";
import { searchPriorities } from "./priority-search.js";
import { simulate } from "./simulate.js";
import type { TaskSpec } from "./task-spec.js";

/** Random DAGs with weighted slots, mutexes and user priorities, and their durations. */
const scenarios = fc
  .record({
    concurrency: fc.integer({ min: 1, max: 4 }),
    tasks: fc.array(
      fc.record({
        deps: fc.array(fc.nat(), { maxLength: 3 }),
        duration: fc.integer({ min: 1, max: 60 }),
        slots: fc.integer({ min: 1, max: 2 }),
        mutex: fc.option(fc.constant("db"), { nil: undefined, freq: 6 }),
        priority: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined, freq: 4 }),
      }),
      { minLength: 1, maxLength: 16 },
    ),
  })
  .map(({ concurrency, tasks }) => {
    const specs: TaskSpec<string>[] = [];
    const durations: Record<string, number> = {};
    tasks.forEach((t, i) => {
      const id = `t${i}`;
      const dependsOn = i === 0 ? [] : [...new Set(t.deps.map((d) => `t${d % i}`))];
      specs.push({
        id,
        run: id,
        dependsOn,
        slots: t.slots,
        ...(t.mutex === undefined ? {} : { mutex: t.mutex }),
        ...(t.priority === undefined ? {} : { priority: t.priority }),
      });
      durations[id] = t.duration;
    });
    return { graph: buildGraph(specs), durations, concurrency };
  });

describe("schedule search over random DAGs", () => {
  it("never predicts a longer run than the critical-path rule, and simulate agrees with it", () => {
    fc.assert(
      fc.property(scenarios, ({ graph, durations, concurrency }) => {
        const found = searchPriorities(graph, durations, { concurrency, evaluations: 60 });
        const rule = simulate(graph, durations, { concurrency, order: "critical-path" });
        assert.equal(found.criticalPathMs, rule.makespanMs);
        assert.ok(found.makespanMs <= rule.makespanMs);
        assert.ok(found.evaluations <= 60);
        const searched = simulate(graph, durations, { concurrency });
        assert.ok(searched.makespanMs <= rule.makespanMs);
      }),
      { numRuns: 200 },
    );
  });

  it("stays no longer than the rule on the estimates when it also judges perturbed samples", () => {
    fc.assert(
      fc.property(scenarios, fc.nat(), ({ graph, durations, concurrency }, seed) => {
        const found = searchPriorities(graph, durations, {
          concurrency,
          evaluations: 30,
          samples: 3,
          seed,
        });
        assert.ok(found.makespanMs <= found.criticalPathMs);
      }),
      { numRuns: 100 },
    );
  });
});
