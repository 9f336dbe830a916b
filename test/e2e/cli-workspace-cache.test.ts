import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

interface Workspace {
  readonly dir: string;
  /**
   * `parex run ARGS --workspaces --json` in `cwd` (default: the root): each task's cache
   * status, and what ran, in order.
   */
  run(
    args: string[],
    cwd?: string,
  ): { said: string[]; cache: Record<string, string | undefined>; ran: string[] };
}

/**
 * A git workspace of two packages, `core` and `web` (web depends on core): each build writes
 * dist/, web's from core's; each test checks its package's dist/. Every command appends its task
 * to a file outside the repository, so a hit is seen not to run. `files` are added at the root.
 */
function workspace(files: Record<string, unknown>): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "parex-ws-cache-"));
  const log = join(mkdtempSync(join(tmpdir(), "parex-ran-")), "ran");
  const write = (path: string, value: unknown) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), typeof value === "string" ? value : JSON.stringify(value));
  };
  const ran = (id: string) => `echo ${id} >> "$RAN"`;
  write("package.json", { private: true, workspaces: ["packages/*"] });
  write(".gitignore", "dist/\n.parex/\n");
  write("packages/core/package.json", {
    name: "core",
    scripts: {
      build: `${ran("core#build")} && mkdir -p dist && echo core > dist/core.txt`,
      test: `test -f dist/core.txt && ${ran("core#test")}`,
    },
  });
  write("packages/core/src/index.txt", "core\n");
  write("packages/web/package.json", {
    name: "web",
    dependencies: { core: "*" },
    scripts: {
      build: `${ran("web#build")} && mkdir -p dist && cp ../core/dist/core.txt dist/web.txt`,
      test: `test -f dist/web.txt && ${ran("web#test")}`,
    },
  });
  for (const [path, content] of Object.entries(files)) write(path, content);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync("git", ["add", "."], { cwd: dir });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x"], {
    cwd: dir,
  });
  return {
    dir,
    run(args, cwd = ".") {
      writeFileSync(log, "");
      const result = spawnSync(
        process.execPath,
        [bin, "run", ...args, "--workspaces", "--json", "--output", "none"],
        { cwd: join(dir, cwd), encoding: "utf8", env: { ...process.env, RAN: log } },
      );
      assert.equal(result.status, 0, result.stderr);
      const { tasks } = JSON.parse(result.stdout) as { tasks: { id: string; cache?: string }[] };
      return {
        // What parex says besides the run's progress and summary (human output is on stderr).
        said: result.stderr.split("\n").filter((line) => line.startsWith("parex: ")),
        cache: Object.fromEntries(tasks.map((task) => [task.id, task.cache])),
        ran: readFileSync(log, "utf8").split("\n").filter(Boolean),
      };
    },
  };
}

const read = (ws: Workspace, path: string): string => readFileSync(join(ws.dir, path), "utf8");

/** Deletes both packages' dist/, as a clean checkout would not have them. */
function removeDist(ws: Workspace): void {
  for (const name of ["core", "web"])
    rmSync(join(ws.dir, "packages", name, "dist"), { recursive: true });
}

describe("workspace runs and the cache", () => {
  it("caches package scripts with no config: a second run replays their logs, a change misses downstream", () => {
    const ws = workspace({});
    const first = ws.run(["build"]);
    assert.deepEqual(first.cache, { "core#build": "miss", "web#build": "miss" });
    assert.deepEqual(first.ran, ["core#build", "web#build"]);
    assert.deepEqual(first.said, []);
    const second = ws.run(["build"]);
    assert.deepEqual(second.cache, { "core#build": "hit", "web#build": "hit" });
    assert.deepEqual(second.ran, []);
    // INIT_CWD and the other paths a script is given are not in its key.
    const fromPackage = ws.run(["build"], "packages/web");
    assert.deepEqual(fromPackage.cache, { "core#build": "hit", "web#build": "hit" });
    assert.deepEqual(ws.run(["build", "--cache", "off"]).ran, ["core#build", "web#build"]);
    writeFileSync(join(ws.dir, "packages", "core", "src", "index.txt"), "changed\n");
    const changed = ws.run(["build"]);
    assert.deepEqual(changed.cache, { "core#build": "miss", "web#build": "miss" });
  });

  it("follows turbo.json: outputs dist/** are restored on a second run that runs nothing", () => {
    const turbo = {
      $schema: "https://turbo.build/schema.json",
      tasks: {
        build: { dependsOn: ["^build"], outputs: ["dist/**"] },
        test: { dependsOn: ["build"] },
      },
    };
    const ws = workspace({ "turbo.json": turbo });
    const first = ws.run(["build"]);
    assert.deepEqual(first.said, ["parex: task rules from turbo.json"]);
    assert.deepEqual(first.ran, ["core#build", "web#build"]);
    removeDist(ws);
    const second = ws.run(["build"]);
    assert.deepEqual(second.cache, { "core#build": "hit", "web#build": "hit" });
    assert.deepEqual(second.ran, []);
    assert.equal(read(ws, "packages/core/dist/core.txt"), "core\n");
    assert.equal(read(ws, "packages/web/dist/web.txt"), "core\n");
  });

  it("follows nx.json's targetDefaults: {projectRoot}/dist is restored, and a target without cache: true is not cached", () => {
    const nx = {
      targetDefaults: {
        build: { dependsOn: ["^build"], outputs: ["{projectRoot}/dist"], cache: true },
        test: { dependsOn: [{ projects: "self", target: "build" }] },
      },
    };
    const ws = workspace({ "nx.json": nx });
    const first = ws.run(["build", "test"]);
    assert.deepEqual(first.said, ["parex: task rules from nx.json"]);
    assert.deepEqual(first.cache, {
      "core#build": "miss",
      "web#build": "miss",
      "core#test": "off",
      "web#test": "off",
    });
    removeDist(ws);
    const second = ws.run(["build", "test"]);
    assert.deepEqual(second.cache, {
      "core#build": "hit",
      "web#build": "hit",
      "core#test": "off",
      "web#test": "off",
    });
    assert.deepEqual([...second.ran].sort(), ["core#test", "web#test"]);
  });

  it("follows lage.config.js: test after its package's build, outputGlob restored on a second run", () => {
    const lage = `module.exports = {
  pipeline: { build: ["^build"], test: ["build"] },
  cacheOptions: { outputGlob: ["dist/**"] },
};
`;
    const ws = workspace({ "lage.config.js": lage });
    const first = ws.run(["test", "-j", "4"]);
    assert.deepEqual(first.said, ["parex: task rules from lage.config.js"]);
    const at = (id: string) => first.ran.indexOf(id);
    assert.deepEqual([...first.ran].sort(), ["core#build", "core#test", "web#build", "web#test"]);
    assert.ok(at("core#build") < at("core#test"), first.ran.join(" "));
    assert.ok(at("web#build") < at("web#test"), first.ran.join(" "));
    assert.ok(at("core#build") < at("web#build"), first.ran.join(" "));
    removeDist(ws);
    const second = ws.run(["test"]);
    assert.deepEqual(Object.values(second.cache), ["hit", "hit", "hit", "hit"]);
    assert.deepEqual(second.ran, []);
    assert.equal(read(ws, "packages/web/dist/web.txt"), "core\n");
  });

  it("reads parex's package.json section before turbo.json, and says which it did not read", () => {
    const ws = workspace({
      "package.json": {
        private: true,
        workspaces: ["packages/*"],
        parex: { pipeline: { build: { dependsOn: ["^build"], cache: false } } },
      },
      "turbo.json": { tasks: { build: { dependsOn: ["^build"] } } },
    });
    const first = ws.run(["build"]);
    assert.deepEqual(first.said, [
      'parex: task rules from package.json ("parex") (not read: turbo.json; only the first of parex\'s config, package.json "parex", turbo.json, nx.json and lage.config.js is)',
    ]);
    assert.deepEqual(first.cache, { "core#build": undefined, "web#build": undefined });
  });

  it("misses every task after a change to a root file of turbo.json's globalDependencies, and hits after any other", () => {
    const ws = workspace({
      "turbo.json": {
        globalDependencies: ["tsconfig.base.json"],
        tasks: { build: { dependsOn: ["^build"], outputs: ["dist/**"] } },
      },
      "tsconfig.base.json": "{}\n",
      "README.md": "a workspace\n",
    });
    assert.deepEqual(ws.run(["build"]).said, ["parex: task rules from turbo.json"]);
    writeFileSync(join(ws.dir, "README.md"), "a workspace, changed\n");
    const undeclared = ws.run(["build"]);
    assert.deepEqual(undeclared.cache, { "core#build": "hit", "web#build": "hit" });
    assert.deepEqual(undeclared.ran, []);
    writeFileSync(join(ws.dir, "tsconfig.base.json"), '{ "strict": true }\n');
    const declared = ws.run(["build"]);
    assert.deepEqual(declared.cache, { "core#build": "miss", "web#build": "miss" });
    assert.deepEqual(declared.ran, ["core#build", "web#build"]);
  });

  it("misses only the tasks whose turbo.json inputs name the changed root file with $TURBO_ROOT$", () => {
    const ws = workspace({
      "turbo.json": {
        tasks: {
          build: { dependsOn: ["^build"], outputs: ["dist/**"] },
          test: {
            dependsOn: ["build"],
            inputs: ["$TURBO_DEFAULT$", "$TURBO_ROOT$/jest.config.json"],
          },
        },
      },
      "jest.config.json": "{}\n",
    });
    const all = ["build", "test"];
    ws.run(all);
    writeFileSync(join(ws.dir, "jest.config.json"), '{ "bail": true }\n');
    const second = ws.run(all);
    assert.deepEqual(second.cache, {
      "core#build": "hit",
      "web#build": "hit",
      "core#test": "miss",
      "web#test": "miss",
    });
    assert.deepEqual(second.ran, ["core#test", "web#test"]);
  });

  it("follows nx.json's {workspaceRoot} in sharedGlobals, and ^production into the packages a task depends on", () => {
    const nx = {
      namedInputs: {
        default: ["{projectRoot}/**/*", "sharedGlobals"],
        sharedGlobals: ["{workspaceRoot}/babel.config.json"],
        production: ["default", "!{projectRoot}/**/*.md"],
      },
      targetDefaults: {
        build: { dependsOn: ["^build"], outputs: ["{projectRoot}/dist"], cache: true },
        test: { inputs: ["default", "^production"], cache: true },
      },
    };
    const ws = workspace({ "nx.json": nx, "babel.config.json": "{}\n" });
    // test waits for no build here (the builds have run first): what it reads is its key's.
    ws.run(["build"]);
    ws.run(["test"]);
    writeFileSync(join(ws.dir, "babel.config.json"), '{ "presets": [] }\n');
    assert.deepEqual(ws.run(["build"]).cache, { "core#build": "miss", "web#build": "miss" });
    assert.deepEqual(ws.run(["test"]).cache, { "core#test": "miss", "web#test": "miss" });
    // web#test reads core's production files (^production), not its own build's key.
    writeFileSync(join(ws.dir, "packages/core/src/index.txt"), "core, changed\n");
    assert.deepEqual(ws.run(["test"]).cache, { "core#test": "miss", "web#test": "miss" });
    writeFileSync(join(ws.dir, "packages/core/NOTES.md"), "not production\n");
    assert.deepEqual(ws.run(["test"]).cache, { "core#test": "miss", "web#test": "hit" });
  });

  it("follows lage.config.js's cacheOptions.environmentGlob", () => {
    const lage = `module.exports = {
  pipeline: { build: ["^build"] },
  cacheOptions: { outputGlob: ["dist/**"], environmentGlob: ["*.json", "!package.json"] },
};
`;
    const ws = workspace({ "lage.config.js": lage, "tsconfig.base.json": "{}\n" });
    ws.run(["build"]);
    writeFileSync(join(ws.dir, "tsconfig.base.json"), '{ "strict": true }\n');
    assert.deepEqual(ws.run(["build"]).cache, { "core#build": "miss", "web#build": "miss" });
    writeFileSync(join(ws.dir, "lage-notes.txt"), "not a root input\n");
    assert.deepEqual(ws.run(["build"]).cache, { "core#build": "hit", "web#build": "hit" });
  });

  it("follows parex's own globalInputs and $root/ inputs in package.json's parex section", () => {
    const ws = workspace({
      "package.json": {
        private: true,
        workspaces: ["packages/*"],
        parex: {
          globalInputs: [".nvmrc"],
          pipeline: {
            build: { dependsOn: ["^build"], outputs: ["dist/**"] },
            test: { dependsOn: ["build"], inputs: ["**", "$root/jest.config.json"] },
          },
        },
      },
      ".nvmrc": "20\n",
      "jest.config.json": "{}\n",
    });
    const all = ["build", "test"];
    ws.run(all);
    writeFileSync(join(ws.dir, "jest.config.json"), '{ "bail": true }\n');
    assert.deepEqual(ws.run(all).cache, {
      "core#build": "hit",
      "web#build": "hit",
      "core#test": "miss",
      "web#test": "miss",
    });
    writeFileSync(join(ws.dir, ".nvmrc"), "22\n");
    assert.deepEqual(Object.values(ws.run(all).cache), ["miss", "miss", "miss", "miss"]);
  });
});
