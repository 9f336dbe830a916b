import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildGraph } from "../core/index.js";
import type { AttemptContext, AttemptResult, Command, Executor, TaskSpec } from "../core/index.js";
import { attemptContext, tempRepos } from "../testing/index.js";
import type { TempGitRepo } from "../testing/index.js";
import { cachingExecutor } from "./caching-executor.js";
import type { TaskCacheStatus } from "./caching-executor.js";
import { LocalCache } from "./local-cache.js";
import { TaskKeys } from "./task-keys.js";
import { TieredCache } from "./tiered-cache.js";

const repos = tempRepos();
after(() => repos.removeAll());

/**
 * A run's cache around an executor that "runs" a command by calling `act` for it (writing
 * files into the repository, say) and returning what it returns. Statuses are kept by task.
 */
function harness(
  repo: TempGitRepo,
  specs: TaskSpec<Command>[],
  act: (action: Command, taskId: string, context: AttemptContext) => AttemptResult,
  options: { maxOutputBytes?: number } = {},
) {
  const graph = buildGraph(specs);
  const statuses = new Map<string, TaskCacheStatus>();
  const warnings: string[] = [];
  const keys = new TaskKeys(graph, { projectDir: repo.root, env: {} });
  const inner: Executor<Command> = {
    execute: (action, context) => Promise.resolve(act(action, context.taskId, context)),
  };
  const executor = cachingExecutor(inner, {
    keys,
    store: new TieredCache(new LocalCache(join(repo.root, ".parex", "cache"))),
    mode: "read-write",
    record: (id, status) => statuses.set(id, status),
    warn: (message) => warnings.push(message),
    ...options,
  });
  const attempt = (id: string, action: Command, number = 1): Promise<AttemptResult> =>
    executor.execute(action, context(id, number));
  const task = (id: string): TaskSpec<Command> => {
    const found = graph.tasks.find((candidate) => candidate.id === id);
    assert.ok(found !== undefined);
    return found;
  };
  const spec = (id: string): Command => task(id).run;
  // The graph's own fallback command: the very object the run hands the executor.
  const fallbackOf = (id: string): Command => {
    const fallback = task(id).fallback;
    assert.ok(fallback !== undefined && "run" in fallback);
    return fallback.run;
  };
  return { attempt, spec, fallbackOf, statuses, warnings, keys, executor };
}

/** The testing helper's attempt context, for task `taskId`'s attempt `attempt`. */
function context(taskId: string, attempt: number): AttemptContext {
  return { ...attemptContext().ctx, taskId, attempt };
}

const failed: AttemptResult = { ok: false, reason: "exit-code", exitCode: 1 };
const succeeded: AttemptResult = { ok: true, exitCode: 0 };

describe("cachingExecutor", () => {
  /** `gen` (uncached, with a fallback command) feeds `use` (cached). */
  function chain(repo: TempGitRepo): TaskSpec<Command>[] {
    return [
      {
        id: "gen",
        run: { command: "gen", cwd: join(repo.root, "gen") },
        fallback: { run: { command: "gen-fallback", cwd: join(repo.root, "gen") } },
      },
      {
        id: "use",
        run: { command: "use", cwd: join(repo.root, "use"), cache: { outputs: [], hashedEnv: [] } },
        dependsOn: ["gen"],
      },
    ];
  }

  it("gives a task whose dependency fell back another key than after the dependency's success", async () => {
    const repo = repos.with({ "gen/a.txt": "a\n", "use/b.txt": "b\n" });
    repo.commitAll();
    const good = harness(repo, chain(repo), () => succeeded);
    await good.attempt("gen", good.spec("gen"));
    await good.attempt("use", good.spec("use"));
    const rescued = harness(repo, chain(repo), (action) =>
      action.command === "gen" ? failed : succeeded,
    );
    await rescued.attempt("gen", rescued.spec("gen"));
    await rescued.attempt("gen", rescued.fallbackOf("gen"));
    await rescued.attempt("use", rescued.spec("use"));
    assert.equal(good.statuses.get("use")?.status, "miss");
    assert.equal(rescued.statuses.get("use")?.status, "miss", "not a hit of the success's entry");
    assert.notEqual(rescued.statuses.get("use")?.key, good.statuses.get("use")?.key);
    assert.deepEqual((await rescued.keys.of("use")).recipe.dependencies, [
      ["gen", `fallback:${(await good.keys.of("gen")).key}`],
    ]);
  });

  it("keeps a cached task's status and entry when its fallback runs, and stores nothing for it", async () => {
    const repo = repos.with({ "pkg/a.txt": "a\n" });
    repo.commitAll();
    const specs: TaskSpec<Command>[] = [
      {
        id: "build",
        run: {
          command: "build",
          cwd: join(repo.root, "pkg"),
          cache: { outputs: ["out.txt"], hashedEnv: [] },
        },
        fallback: { run: { command: "build-fallback", cwd: join(repo.root, "pkg") } },
      },
    ];
    const run = harness(repo, specs, (action) => {
      if (action.command === "build") return failed;
      repo.write("pkg/out.txt", "from the fallback\n");
      return succeeded;
    });
    await run.attempt("build", run.spec("build"));
    await run.attempt("build", run.fallbackOf("build"));
    assert.equal(run.statuses.get("build")?.status, "miss");
    const key = run.statuses.get("build")?.key;
    assert.ok(key !== undefined);
    assert.equal(
      existsSync(join(repo.root, ".parex", "cache", key.slice(0, 2), `${key}.tar.gz`)),
      false,
      "the fallback's output must never be restored as the task's",
    );
  });

  it("does not store outputs over the size limit, and says why", async () => {
    const repo = repos.with({ "pkg/a.txt": "a\n" });
    repo.commitAll();
    const specs: TaskSpec<Command>[] = [
      {
        id: "build",
        run: {
          command: "build",
          cwd: join(repo.root, "pkg"),
          cache: { outputs: ["dist/**"], hashedEnv: [] },
        },
      },
    ];
    const run = harness(
      repo,
      specs,
      () => {
        repo.write("pkg/dist/big.bin", Buffer.alloc(4096, 1));
        return succeeded;
      },
      { maxOutputBytes: 1024 },
    );
    await run.attempt("build", run.spec("build"));
    const status = run.statuses.get("build");
    assert.equal(status?.status, "miss");
    assert.match(status.note ?? "", /outputs hold over .* not stored/);
    const again = harness(repo, specs, () => succeeded, { maxOutputBytes: 1024 });
    await again.attempt("build", again.spec("build"));
    assert.equal(again.statuses.get("build")?.status, "miss");
  });

  it("does not store a task that printed more than 64 MiB, yet passes all of it on", async () => {
    const repo = repos.with({ "pkg/a.txt": "a\n" });
    repo.commitAll();
    const specs: TaskSpec<Command>[] = [
      {
        id: "loud",
        run: {
          command: "loud",
          cwd: join(repo.root, "pkg"),
          cache: { outputs: [], hashedEnv: [] },
        },
      },
    ];
    const chunk = "x".repeat(1024 * 1024);
    const run = harness(repo, specs, (_action, _id, context) => {
      for (let i = 0; i < 65; i++) context.output("stdout", chunk);
      return succeeded;
    });
    let seen = 0;
    const result = await run.executor.execute(run.spec("loud"), {
      ...context("loud", 1),
      output: (_stream, text) => (seen += text.length),
    });
    assert.equal(result.ok, true);
    assert.equal(seen, 65 * chunk.length, "every byte reaches the run");
    assert.match(run.statuses.get("loud")?.note ?? "", /output is over 64 MiB: not stored/);
    const again = harness(repo, specs, () => succeeded);
    await again.attempt("loud", again.spec("loud"));
    assert.equal(again.statuses.get("loud")?.status, "miss");
  });
});
