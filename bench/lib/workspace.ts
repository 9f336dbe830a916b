/**
 * One generated npm-workspaces monorepo per task graph, holding what every runner needs to
 * run the same tasks: each package's `build` script (parex --workspaces, turbo, Nx, lage),
 * wireit scripts, a Makefile, a build.ninja, a parex config, root npm scripts (run-p) and a
 * plain list of the commands (xargs, GNU parallel, concurrently, a bare Node spawn loop). Peers resolve from bench/node_modules (the workspace lives
 * under bench/.work/).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchDag, BenchTask } from "./dags.js";
import { root } from "./harness.js";

export interface Workspace {
  readonly dir: string;
  readonly dag: BenchDag;
  /** Where timed tasks append "ID start|end NANOSECONDS" lines. */
  readonly log: string;
}

const taskScript = `#!/bin/sh
# task.sh ID SECONDS LOG: a benchmark task. Records its start and end, sleeps in between.
echo "$1 start $(date +%s%N)" >> "$3"
sleep "$2"
echo "$1 end $(date +%s%N)" >> "$3"
`;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes the workspace for `dag` under bench/.work/NAME (replacing an older one). `trivial`
 * makes every task `true` instead of a timed sleep.
 */
export function writeWorkspace(name: string, dag: BenchDag, trivial = false): Workspace {
  const dir = join(root, "bench", ".work", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const log = join(dir, "tasks.log");
  writeFileSync(join(dir, "task.sh"), taskScript);
  const command = (t: BenchTask) =>
    trivial ? "true" : `sh ${join(dir, "task.sh")} ${t.id} ${t.seconds} ${log}`;

  writeFileSync(
    join(dir, "package.json"),
    json({
      name: `bench-${name}`,
      private: true,
      // turbo refuses a workspace without it
      packageManager: "npm@11.19.1",
      workspaces: ["packages/*"],
      // run-p (npm-run-all2) runs npm scripts: one per task, for the flat comparisons.
      scripts: {
        "wireit-build": "wireit",
        ...Object.fromEntries(dag.tasks.map((t) => [`task:${t.id}`, command(t)])),
      },
      wireit: {
        "wireit-build": { dependencies: dag.tasks.map((t) => `./packages/${t.id}:wireit-build`) },
      },
    }),
  );
  for (const t of dag.tasks) {
    const pkg = join(dir, "packages", t.id);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      json({
        name: t.id,
        version: "1.0.0",
        private: true,
        dependencies: Object.fromEntries(t.dependsOn.map((d) => [d, "1.0.0"])),
        scripts: { build: command(t), "wireit-build": "wireit" },
        wireit: {
          "wireit-build": {
            command: command(t),
            dependencies: t.dependsOn.map((d) => `../${d}:wireit-build`),
          },
        },
      }),
    );
  }
  // lage finds no packages without a lockfile; this is what `npm install --package-lock-only`
  // writes for workspace-only dependencies, without running npm for every graph.
  writeFileSync(
    join(dir, "package-lock.json"),
    json({
      name: `bench-${name}`,
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: `bench-${name}`, workspaces: ["packages/*"] },
        ...Object.fromEntries(
          dag.tasks.flatMap((t) => [
            [`node_modules/${t.id}`, { resolved: `packages/${t.id}`, link: true }],
            [
              `packages/${t.id}`,
              {
                version: "1.0.0",
                ...(t.dependsOn.length > 0
                  ? { dependencies: Object.fromEntries(t.dependsOn.map((d) => [d, "1.0.0"])) }
                  : {}),
              },
            ],
          ]),
        ),
      },
    }),
  );
  writeFileSync(
    join(dir, "turbo.json"),
    // loose: turbo's strict mode would strip the environment the tasks see
    json({
      ui: "stream",
      envMode: "loose",
      tasks: { build: { dependsOn: ["^build"], cache: false } },
    }),
  );
  writeFileSync(
    join(dir, "nx.json"),
    // analytics: false, or Nx asks on a terminal whether to share usage data, and waits
    json({ analytics: false, targetDefaults: { build: { dependsOn: ["^build"], cache: false } } }),
  );
  writeFileSync(
    join(dir, "lage.config.js"),
    `module.exports = { pipeline: { build: ["^build"] }, npmClient: "npm", cache: false };\n`,
  );
  // make and ninja run the same commands; the quotes keep make from reading `#` or `$`.
  writeFileSync(
    join(dir, "Makefile"),
    [
      `.PHONY: all ${dag.tasks.map((t) => t.id).join(" ")}`,
      `all: ${dag.tasks.map((t) => t.id).join(" ")}`,
      ...dag.tasks.map((t) => `${t.id}: ${t.dependsOn.join(" ")}\n\t@${command(t)}`),
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "build.ninja"),
    [
      "rule task",
      "  command = $cmd && touch $out",
      ...dag.tasks.map(
        (t) =>
          `build out/${t.id}: task${t.dependsOn.length > 0 ? ` | ${t.dependsOn.map((d) => `out/${d}`).join(" ")}` : ""}\n  cmd = ${command(t)}`,
      ),
      `build all: phony ${dag.tasks.map((t) => `out/${t.id}`).join(" ")}`,
      "default all",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "commands.txt"), `${dag.tasks.map(command).join("\n")}\n`);
  // The same tasks as a parex config (not named parex.config.*: `--workspaces` runs find none).
  writeFileSync(
    join(dir, "parex.tasks.json"),
    json({
      tasks: Object.fromEntries(
        dag.tasks.map((t) => [t.id, { run: command(t), dependsOn: [...t.dependsOn] }]),
      ),
    }),
  );
  // lage hashes the files git knows, even with --no-cache: it needs a repository with a commit
  // of its own (else it hashes the enclosing one, parex's).
  writeFileSync(
    join(dir, ".gitignore"),
    "node_modules/\n.nx/\n.turbo/\n.wireit/\nout/\n.parex/\ntasks.log\n",
  );
  execFileSync(
    "sh",
    [
      "-c",
      "git init -q && git add -A && git -c user.name=bench -c user.email=bench@localhost commit -qm init",
    ],
    { cwd: dir },
  );
  return { dir, dag, log };
}
