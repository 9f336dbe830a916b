import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { alive, freePort, tempRepos } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const node = JSON.stringify(process.execPath);
const repos = tempRepos();
/** Watchers a failed test left running: stopped, so that the test file ends. */
const started = new Set<ChildProcess>();
after(() => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
  repos.removeAll();
});

/** Generous: the machine is shared; a test waits for lines, never for time. */
const capMs = 30_000;

/**
 * A committed project: `lib` (cached: reads lib/src, writes lib/out) ← `app` (reads app/),
 * and `docs` on its own. Each task appends its id to ran.log (ignored by git) when it runs.
 */
function project(tasks: Record<string, unknown> = {}) {
  const note = (id: string) => `echo ${id} >> ${JSON.stringify("../ran.log")}`;
  const repo = repos.with({
    ".gitignore": "ran.log\npids\n.parex/\n",
    "lib/src/a.txt": "1\n",
    "app/main.txt": "1\n",
    "docs/index.md": "1\n",
    "README.md": "watch me\n",
    "parex.config.json": JSON.stringify({
      killGraceMs: 300,
      tasks: {
        lib: {
          run: `${note("lib")} && mkdir -p out && cp src/a.txt out/a.txt`,
          cwd: "lib",
          inputs: ["src/**"],
          outputs: ["out/**"],
        },
        app: { run: note("app"), cwd: "app", dependsOn: ["lib"] },
        docs: { run: note("docs"), cwd: "docs" },
        ...tasks,
      },
    }),
  });
  repo.commitAll();
  writeFileSync(join(repo.root, "ran.log"), "");
  const ran = () => readFileSync(join(repo.root, "ran.log"), "utf8").split("\n").filter(Boolean);
  return { ...repo, ran };
}

/**
 * A committed project with a service: `serve` (serve/server.js, on `port`, ready when the port
 * opens; it appends its pid to pids and answers `pong <pid>`), `build` (reads build/) and
 * `check`, which needs both and prints what the service answered.
 */
function serviceProject(port: number) {
  const server = [
    `require("fs").appendFileSync("../pids", process.pid + "\\n");`,
    `require("http")`,
    `  .createServer((req, res) => { console.log("served " + req.url); res.end("pong " + process.pid); })`,
    `  .listen(${port}, "127.0.0.1");`,
  ].join("\n");
  const fetch = `fetch("http://127.0.0.1:${port}/").then((r) => r.text()).then((t) => console.log("got " + t))`;
  const repo = repos.with({
    ".gitignore": "pids\n.parex/\n",
    "build/src.txt": "1\n",
    "check/README.md": "check\n",
    "serve/server.js": `${server}\n`,
    "parex.config.json": JSON.stringify({
      killGraceMs: 300,
      tasks: {
        build: { run: "cat src.txt", cwd: "build" },
        serve: {
          run: `${node} server.js`,
          cwd: "serve",
          persistent: true,
          ready: { port, host: "127.0.0.1", timeoutMs: capMs },
        },
        check: {
          run: `${node} -e ${JSON.stringify(fetch)}`,
          cwd: "check",
          dependsOn: ["build", "serve"],
        },
      },
    }),
  });
  repo.commitAll();
  const pids = () =>
    readFileSync(join(repo.root, "pids"), "utf8").split("\n").filter(Boolean).map(Number);
  return { ...repo, pids };
}

/** `parex run --watch` in `dir`, with a way to wait until its output says something. */
function watch(dir: string, args: string[] = []) {
  const child = spawn(process.execPath, [bin, "run", "--watch", "--output", "stream", ...args], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  let out = "";
  const waiters = new Set<() => void>();
  const hear = (chunk: Buffer) => {
    out += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout.on("data", hear);
  child.stderr.on("data", hear);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  /** Resolves once `pattern` has matched `times` times in the output. */
  const until = (pattern: RegExp, times = 1): Promise<void> =>
    new Promise((resolve, reject) => {
      const count = () => [...out.matchAll(new RegExp(pattern, "gm"))].length;
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${String(pattern)} ×${times} within ${capMs} ms in:\n${out}`));
      }, capMs);
      const check = () => {
        if (count() < times) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const count = (pattern: RegExp) => [...out.matchAll(new RegExp(pattern, "gm"))].length;
  return { child, exited, until, count, output: () => out };
}

const waiting = /^parex: watch: waiting for changes/;

describe("parex run --watch (end to end)", () => {
  it("re-runs the changed task and its dependents after a file write, and exits 130 on Ctrl-C", async () => {
    const repo = project();
    const w = watch(repo.root);
    await w.until(waiting);
    assert.deepEqual(repo.ran().sort(), ["app", "docs", "lib"]);
    repo.write("lib/src/a.txt", "2\n");
    await w.until(/^parex: watch: re-run: lib, app \(lib\/src\/a\.txt changed\)$/);
    await w.until(waiting, 2);
    assert.deepEqual(repo.ran().slice(3), ["lib", "app"]);
    assert.equal(readFileSync(join(repo.root, "lib", "out", "a.txt"), "utf8"), "2\n");
    w.child.kill("SIGINT");
    assert.equal(await w.exited, 130);
    assert.match(w.output(), /^parex: watch: stopped after 2 runs$/m);
    assert.equal(w.count(/^parex · run_/), 2, "each run prints its summary");
  });

  it("makes one re-run of a burst of writes, and none for ignored files or outputs", async () => {
    const repo = project();
    const w = watch(repo.root);
    await w.until(waiting);
    for (let i = 0; i < 5; i++) repo.write(`app/file${i}.txt`, `${i}\n`);
    await w.until(/^parex: watch: re-run: app \(app\/file\d\.txt and 4 more changed\)$/);
    await w.until(waiting, 2);
    repo.write("ran.log.old", "ignored? no: a file no task reads\n");
    repo.write("lib/out/stale.txt", "an output: not a change\n");
    repo.write("README.md", "edited\n");
    // Changes are handled in order: once this is said, no re-run of the burst is still coming.
    await w.until(
      /^parex: watch: (ran\.log\.old|README\.md) and 1 more changed: no task affected$/,
    );
    assert.equal(w.count(/^parex: watch: re-run:/), 1);
    w.child.kill("SIGINT");
    assert.equal(await w.exited, 130);
  });

  it("stops a run a change made stale and runs it again; Ctrl-C leaves no process behind", async () => {
    const hang = `require('fs').appendFileSync('../pids', process.pid + '\\n'); console.log('slow started'); setInterval(() => {}, 1000)`;
    const repo = project({ slow: { run: `${node} -e ${JSON.stringify(hang)}`, cwd: "docs" } });
    const pids = () =>
      readFileSync(join(repo.root, "pids"), "utf8").split("\n").filter(Boolean).map(Number);
    const w = watch(repo.root);
    await w.until(/slow started/);
    repo.write("docs/index.md", "2\n");
    await w.until(/^parex: watch: docs\/index\.md changed: stopping the stale run$/);
    await w.until(/^parex: watch: re-run: /);
    await w.until(/slow started/, 2);
    const [first, second] = pids();
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(alive(first), false, "the stale run's process was stopped");
    w.child.kill("SIGINT");
    assert.equal(await w.exited, 130);
    assert.equal(alive(second), false, "Ctrl-C stopped the running task");
  });

  it("keeps a ready service running across re-runs, restarts it when a change affects it, and stops it on Ctrl-C", async () => {
    const repo = serviceProject(await freePort());
    const w = watch(repo.root);
    await w.until(waiting);
    const [first] = repo.pids();
    assert.ok(first !== undefined);
    assert.match(w.output(), new RegExp(`^check +│ got pong ${first}$`, "m"));
    assert.match(w.output(), /^ {2}kept running: serve \(until a change affects it, or Ctrl-C\)$/m);

    repo.write("build/src.txt", "2\n");
    await w.until(/^parex: watch: re-run: build, check \(build\/src\.txt changed\)$/);
    await w.until(waiting, 2);
    assert.deepEqual(repo.pids(), [first], "not started again");
    assert.equal(alive(first), true);
    assert.equal(w.count(new RegExp(`^check +│ got pong ${first}$`)), 2);
    await w.until(/^serve +│ served \/$/, 2); // its output is still shown
    assert.match(w.output(), /^ {2}figures cover what ran \(1 reused from an earlier run\)$/m);

    repo.write(
      "serve/server.js",
      `${readFileSync(join(repo.root, "serve/server.js"), "utf8")}// v2\n`,
    );
    await w.until(/^parex: watch: stopping serve: a change affects it$/);
    await w.until(waiting, 3);
    const [, second] = repo.pids();
    assert.ok(second !== undefined && second !== first, "started again");
    assert.equal(alive(first), false, "the old one was stopped");
    assert.match(w.output(), new RegExp(`^check +│ got pong ${second}$`, "m"));

    // Run through `sh -c`: the shell says `exit code 143`, or the signal when it exec'd node.
    process.kill(second, "SIGTERM");
    await w.until(
      /^parex: watch: serve exited by itself \((killed by SIGTERM|exit code 143)\): the next run that needs it starts it again$/,
    );
    repo.write("build/src.txt", "3\n");
    await w.until(waiting, 4);
    const [, , third] = repo.pids();
    assert.ok(third !== undefined && third !== second, "the next run started it again");
    assert.match(w.output(), new RegExp(`^check +│ got pong ${third}$`, "m"));

    w.child.kill("SIGINT");
    assert.equal(await w.exited, 130);
    assert.match(
      w.output(),
      /^parex: watch: stopping serve: the watch ends\nparex: watch: stopped after 4 runs$/m,
    );
    assert.equal(alive(third), false, "Ctrl-C stopped the kept service");
  });

  it("refuses --json, which is for one run", async () => {
    const repo = project();
    const w = watch(repo.root, ["--json"]);
    assert.equal(await w.exited, 2);
    assert.equal(
      w.output(),
      "parex run: --watch runs again and again, and --json is for one run: drop one of them.\n",
    );
  });
});
