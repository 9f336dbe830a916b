import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { tempDirs } from "../testing/index.js";
import { nxWorkspaceRules } from "./nx-projects.js";
import type { WorkspacePackage } from "./workspaces.js";

const dirs = tempDirs("parex-nx-projects-");
after(() => dirs.removeAll());

interface PackageFiles {
  readonly scripts?: Record<string, string>;
  readonly dependencies?: string[];
  /** package.json's `nx`. */
  readonly nx?: unknown;
  /** project.json, as an object or as text. */
  readonly project?: unknown;
}

/** A workspace root with packages/<name> for each entry, and those packages. */
function workspace(packages: Record<string, PackageFiles>): {
  root: string;
  packages: WorkspacePackage[];
} {
  const root = dirs.make();
  const list = Object.entries(packages).map(([name, files]): WorkspacePackage => {
    const dir = join(root, "packages", name);
    mkdirSync(dir, { recursive: true });
    const scripts = files.scripts ?? { build: "tsc", test: "node --test" };
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name, scripts, nx: files.nx }));
    if (files.project !== undefined) {
      const text =
        typeof files.project === "string" ? files.project : JSON.stringify(files.project);
      writeFileSync(join(dir, "project.json"), text);
    }
    return { name, dir, scripts, dependencies: files.dependencies ?? [], manifest: { name } };
  });
  return { root, packages: list };
}

const defaults = {
  namedInputs: {
    default: ["{projectRoot}/**/*"],
    production: ["default", "!{projectRoot}/**/*.spec.ts"],
  },
  targetDefaults: {
    build: {
      dependsOn: ["^build"],
      inputs: ["production", "^production"],
      outputs: ["{projectRoot}/dist"],
      cache: true,
    },
    test: { dependsOn: ["build"], cache: true },
  },
};

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ParexError, String(error));
    return error.message;
  }
  assert.fail("expected the rules to be refused");
}

describe("nxWorkspaceRules", () => {
  it("merges a project.json target over targetDefaults field by field, and package.json's nx under project.json", () => {
    const ws = workspace({
      core: {
        nx: { targets: { test: { dependsOn: ["lint"], outputs: ["{projectRoot}/coverage"] } } },
        project: {
          // JSON with comments, as Nx reads it.
          targets: {
            build: { outputs: ["{projectRoot}/lib"] }, // the rest from targetDefaults
            test: { dependsOn: ["...", "codegen"], cache: false },
          },
        },
      },
      web: { dependencies: ["core"] },
    });
    const { pipeline, notes } = nxWorkspaceRules(defaults, ws.root, ws.packages);
    const files = {
      inputs: ["**/*", "!**/*.spec.ts"],
      dependencyInputs: ["**/*", "!**/*.spec.ts"],
    };
    assert.deepEqual(pipeline["core#build"], {
      dependsOn: ["^build"],
      outputs: ["lib", "lib/**"],
      ...files,
      cache: true,
    });
    // dependsOn: package.json's replaced targetDefaults', and project.json's "..." kept it.
    assert.deepEqual(pipeline["core#test"], { dependsOn: ["lint", "codegen"], cache: false });
    // Targets named only in a dependsOn are scripts that run first, without rules of their own.
    assert.deepEqual(pipeline["codegen"], { dependsOn: [], cache: false });
    assert.deepEqual(pipeline["lint"], { dependsOn: [], cache: false });
    // web says nothing of its own: targetDefaults apply, as before.
    assert.equal(pipeline["web#build"], undefined);
    assert.deepEqual(pipeline["build"], {
      dependsOn: ["^build"],
      outputs: ["dist", "dist/**"],
      ...files,
      cache: true,
    });
    assert.deepEqual(notes, []);
  });

  it("reads a project's namedInputs over nx.json's for its own targets, and does not cache ^ of an overridden name", () => {
    const ws = workspace({
      core: { project: { namedInputs: { production: ["{projectRoot}/src/**"] } } },
      web: { dependencies: ["core"] },
      docs: {},
    });
    const { pipeline, notes } = nxWorkspaceRules(defaults, ws.root, ws.packages);
    // core's build and test read core's production, though core names no target of its own.
    assert.deepEqual(pipeline["core#build"], {
      dependsOn: ["^build"],
      outputs: ["dist", "dist/**"],
      inputs: ["src/**"],
      dependencyInputs: ["**/*", "!**/*.spec.ts"],
      cache: true,
    });
    assert.deepEqual(pipeline["web#build"], { dependsOn: ["^build"], cache: false });
    assert.equal(pipeline["docs#build"], undefined);
    assert.deepEqual(notes, [
      'nx.json: targetDefaults.build (in web) is not cached: its input "^production" is each dependency\'s own "production", which a project it depends on defines its own way',
    ]);
  });

  it("maps a project's {workspaceRoot} output inside the project, and says which targets run executors", () => {
    const ws = workspace({
      core: {
        scripts: { test: "node --test" },
        project: {
          targets: {
            build: { executor: "@nx/js:tsc", outputs: ["{workspaceRoot}/packages/core/out"] },
            lint: { executor: "@nx/eslint:lint" },
          },
        },
      },
      web: {
        scripts: { build: "vite build" },
        project: { targets: { build: { executor: "@nx/js:tsc" }, lint: { command: "eslint ." } } },
      },
    });
    const { pipeline, notes } = nxWorkspaceRules(defaults, ws.root, ws.packages);
    assert.deepEqual(pipeline["core#build"]?.outputs, ["out", "out/**"]);
    assert.deepEqual(pipeline["web#lint"]?.command, { shell: "eslint .", cwd: "." });
    assert.deepEqual(notes, [
      'nx: the target "build" of core runs @nx/js:tsc, which parex does not run: parex runs package scripts, and it has no script "build"',
      'nx: the target "lint" of core runs @nx/eslint:lint, which parex does not run: parex runs package scripts, and it has no script "lint"',
      'nx: the target "build" of web runs @nx/js:tsc, which parex does not run: parex runs the package script "build" instead',
    ]);
  });

  it("runs a project's nx:run-commands target as Nx does: its commands, cwd, env and tokens", () => {
    const ws = workspace({
      core: {
        scripts: { build: "tsc" },
        project: {
          targets: {
            build: {
              executor: "nx:run-commands",
              options: { command: "tsc -p {projectRoot}/tsconfig.json", env: { MODE: "prod" } },
            },
            check: {
              executor: "nx:run-commands",
              options: { commands: ["lint", { command: "types" }], cwd: "{projectRoot}" },
            },
            order: {
              executor: "nx:run-commands",
              options: { commands: ["first", "second"], parallel: false },
            },
            serve: { executor: "nx:run-commands", options: { command: "vite --port {args.port}" } },
            ready: {
              executor: "nx:run-commands",
              options: { command: "vite", readyWhen: "ready" },
            },
          },
        },
      },
    });
    const nx = { targetDefaults: { deploy: { command: "deploy" } } };
    const { pipeline, notes } = nxWorkspaceRules(nx, ws.root, ws.packages);
    assert.deepEqual(pipeline["core#build"]?.command, {
      shell: "tsc -p packages/core/tsconfig.json",
      cwd: ".",
      env: { MODE: "prod" },
    });
    const check = pipeline["core#check"]?.command;
    assert.ok(check !== undefined, "core#check runs its commands");
    assert.equal(check.cwd, "packages/core");
    assert.match(check.shell, /^\(lint\) & p0=\$!\n\(types\) & p1=\$!/);
    assert.equal(pipeline["core#order"]?.command?.shell, "(first) && (second)");
    assert.equal(pipeline["core#serve"]?.command, undefined);
    assert.equal(
      pipeline["core#deploy"],
      undefined,
      "targetDefaults alone give a project no target",
    );
    assert.deepEqual(notes, [
      'nx: the target "serve" of core runs nx:run-commands, but its command "vite --port {args.port}" takes arguments ({args.…}): parex runs package scripts, and it has no script "serve"',
      'nx: the target "ready" of core runs nx:run-commands, but its option "readyWhen" is one parex does not follow: parex runs package scripts, and it has no script "ready"',
    ]);
  });

  it("keeps nothing of targetDefaults for a target that runs another executor", () => {
    const nx = { targetDefaults: { build: { executor: "@nx/vite:build", dependsOn: ["^build"] } } };
    const ws = workspace({
      core: { project: { targets: { build: { executor: "@nx/js:tsc", cache: true } } } },
    });
    const { pipeline } = nxWorkspaceRules(nx, ws.root, ws.packages);
    assert.deepEqual(pipeline["core#build"], {
      dependsOn: [],
      inputs: ["**"],
      dependencyInputs: ["**"],
      cache: true,
    });
  });

  it("refuses a project file it cannot read, naming the file and the key", () => {
    const project = (value: unknown) => {
      const ws = workspace({ core: { project: value } });
      return messageOf(() => nxWorkspaceRules(defaults, ws.root, ws.packages));
    };
    assert.equal(
      project({ targets: { build: { dependsOn: "^build" } } }),
      'Invalid task rules (packages/core/project.json, targets.build.dependsOn): expected an array, got `"^build"` (string). Fix it there, or give parex a pipeline of its own (docs/cache.md).',
    );
    assert.equal(
      project({ targets: { test: { cache: "yes" } } }),
      'Invalid task rules (packages/core/project.json, targets.test.cache): expected true or false, got `"yes"` (string). Fix it there, or give parex a pipeline of its own (docs/cache.md).',
    );
    assert.equal(
      project({ targets: ["build"] }),
      'Invalid task rules (packages/core/project.json, targets): expected an object of targets, got `["build"]` (array). Fix it there, or give parex a pipeline of its own (docs/cache.md).',
    );
    assert.match(project("{ targets: "), /packages\/core\/project\.json/);
    const ws = workspace({ core: { nx: { namedInputs: ["src/**"] } } });
    assert.equal(
      messageOf(() => nxWorkspaceRules(defaults, ws.root, ws.packages)),
      'Invalid task rules (packages/core/package.json, nx.namedInputs): expected an object of named inputs, got `["src/**"]` (array). Fix it there, or give parex a pipeline of its own (docs/cache.md).',
    );
  });
});
