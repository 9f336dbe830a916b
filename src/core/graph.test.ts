import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParexError } from "./errors.js";
import { buildGraph } from "./graph.js";
import type { TaskSpec } from "./task-spec.js";

const task = (id: string, dependsOn: string[] = [], extra: Partial<TaskSpec> = {}): TaskSpec => ({
  id,
  run: id,
  dependsOn,
  ...extra,
});

function rejection(specs: readonly TaskSpec[], source?: string): ParexError {
  try {
    buildGraph(specs, source === undefined ? {} : { source });
  } catch (error) {
    assert.ok(error instanceof ParexError);
    return error;
  }
  assert.fail("expected buildGraph to throw");
}

describe("buildGraph", () => {
  it("indexes tasks, their dependencies and dependents in declaration order", () => {
    const graph = buildGraph([task("test", ["build"]), task("build"), task("lint")]);
    assert.deepEqual(graph.dependencies, [[1], [], []]);
    assert.deepEqual(graph.dependents, [[], [0], []]);
    assert.deepEqual(graph.order, [1, 2, 0]);
    assert.equal(graph.indexOf.get("lint"), 2);
  });

  it("ignores a dependency listed twice", () => {
    const graph = buildGraph([task("a"), task("b", ["a", "a"])]);
    assert.deepEqual(graph.dependencies[1], [0]);
    assert.deepEqual(graph.dependents[0], [1]);
  });

  it("rejects an unknown dependency and suggests the closest id", () => {
    const error = rejection([task("build"), task("deploy", ["biuld"])], "parex.config.json");
    assert.equal(error.code, "UNKNOWN_DEPENDENCY");
    assert.equal(
      error.message,
      'Task "deploy" depends on unknown task "biuld" (parex.config.json, tasks.deploy.dependsOn[0]). Did you mean "build"?',
    );
  });

  it("rejects an unknown dependency without a close match by saying how to fix it", () => {
    const error = rejection([task("build"), task("deploy", ["build", "kubernetes"])]);
    assert.equal(
      error.message,
      'Task "deploy" depends on unknown task "kubernetes" (tasks.deploy.dependsOn[1]). Define it, or remove the dependency.',
    );
  });

  it("spells out a cycle from its first-declared task", () => {
    const error = rejection(
      [task("lint"), task("build", ["test"]), task("test", ["build"])],
      "parex.config.ts",
    );
    assert.equal(error.code, "DEPENDENCY_CYCLE");
    assert.equal(
      error.message,
      "Dependency cycle: build → test → build (parex.config.ts, tasks.build.dependsOn). Remove one of these dependencies.",
    );
  });

  it("carries the cycle's ids in error.cycle, for programs that handle it", () => {
    const error = rejection([task("lint"), task("build", ["test"]), task("test", ["build"])]);
    assert.deepEqual(error.cycle, ["build", "test", "build"]);
    assert.equal(rejection([task("a"), task("a")]).cycle, undefined);
  });

  it("finds a longer cycle behind tasks that are not part of it", () => {
    const error = rejection([
      task("entry", ["a"]),
      task("a", ["b"]),
      task("b", ["c"]),
      task("c", ["a"]),
    ]);
    assert.equal(
      error.message,
      "Dependency cycle: a → b → c → a (tasks.a.dependsOn). Remove one of these dependencies.",
    );
  });

  it("treats a task depending on itself as a cycle", () => {
    const error = rejection([task("a", ["a"])]);
    assert.equal(
      error.message,
      "Dependency cycle: a → a (tasks.a.dependsOn). Remove one of these dependencies.",
    );
  });

  it("rejects duplicate ids, naming both places", () => {
    const error = rejection([task("build"), task("test"), task("build")]);
    assert.equal(error.code, "DUPLICATE_TASK");
    assert.equal(
      error.message,
      'Task "build" is defined twice (tasks[0] and tasks[2]). Give each task its own id.',
    );
  });

  it("rejects an empty id", () => {
    const error = rejection([task("")]);
    assert.equal(error.code, "INVALID_TASK");
    assert.equal(
      error.message,
      'Task ids must be non-empty strings (tasks[0].id), got `""` (string).',
    );
  });

  it("rejects a task without a run before anything runs", () => {
    const error = rejection([task("build"), { id: "test" } as TaskSpec], "parex.config.json");
    assert.equal(error.code, "INVALID_TASK");
    assert.equal(
      error.message,
      'Task "test" has no run (parex.config.json, tasks.test.run): give it the function or command to run.',
    );
  });

  it("rejects a task that is not an object, and specs that are not an array", () => {
    const error = rejection([task("build"), null as unknown as TaskSpec]);
    assert.equal(error.code, "INVALID_TASK");
    assert.equal(
      error.message,
      "Tasks must be objects with an id and a run (tasks[1]), got `null` (null).",
    );
    assert.throws(() => buildGraph({ build: { run: "x" } } as unknown as TaskSpec[]), {
      name: "TypeError",
      message:
        'Expected `specs` to be an array of task specs, got `{"build":{"run":"x"}}` (object)',
    });
  });

  it("rejects a policy field of the wrong kind, naming the field and what it must be", () => {
    const timeout = rejection([task("build", [], { timeoutMs: -5 })], "parex.config.json");
    assert.equal(
      timeout.message,
      'Task "build" has an invalid timeoutMs (parex.config.json, tasks.build.timeoutMs): expected a number of ms > 0, got `-5` (number).',
    );
    const retry = rejection([task("build", [], { retry: { attempts: 1.5 } })]);
    assert.equal(
      retry.message,
      'Task "build" has an invalid retry.attempts (tasks.build.retry.attempts): expected an integer from 1 to 1000, got `1.5` (number).',
    );
    const backoff = rejection([
      task("build", [], { retry: { attempts: 2, backoff: "linear" as "fixed" } }),
    ]);
    assert.equal(
      backoff.message,
      'Task "build" has an invalid retry.backoff (tasks.build.retry.backoff): expected "exponential" or "fixed", got `"linear"` (string).',
    );
    const missing = rejection([task("build", [], { retry: {} as { attempts: number } })]);
    assert.equal(
      missing.message,
      'Task "build" is missing retry.attempts (tasks.build.retry.attempts): expected an integer from 1 to 1000.',
    );
  });

  it("quotes ids that are not plain names in paths", () => {
    const error = rejection([task("web#build"), task("web#test", ["web#biuld"])]);
    assert.equal(
      error.message,
      'Task "web#test" depends on unknown task "web#biuld" (tasks["web#test"].dependsOn[0]). Did you mean "web#build"?',
    );
  });

  it("never suggests that a task meant itself", () => {
    const error = rejection([task("b", ["a"])], "parex.config.json");
    assert.equal(
      error.message,
      'Task "b" depends on unknown task "a" (parex.config.json, tasks.b.dependsOn[0]). Define it, or remove the dependency.',
    );
    const typo = rejection([task("web#build", ["web#biuld"]), task("web#test")]);
    assert.equal(
      typo.message,
      'Task "web#build" depends on unknown task "web#biuld" (tasks["web#build"].dependsOn[0]). Define it, or remove the dependency.',
    );
  });

  it("validates and orders a 100,000-task layered graph", () => {
    const specs: TaskSpec[] = [];
    for (let i = 0; i < 100_000; i++) {
      const layerStart = Math.floor(i / 100) * 100;
      const deps =
        layerStart === 0 ? [] : [`t${layerStart - 100 + (i % 100)}`, `t${layerStart - 1}`];
      specs.push(task(`t${i}`, deps));
    }
    const graph = buildGraph(specs);
    assert.equal(graph.order.length, 100_000);
    const position = new Int32Array(100_000);
    graph.order.forEach((t, i) => (position[t] = i));
    graph.dependencies.forEach((deps, t) => {
      for (const dep of deps) assert.ok((position[dep] ?? 0) < (position[t] ?? 0));
    });
  });
});
