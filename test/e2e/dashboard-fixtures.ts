// What the dashboard's browser tests serve: the built dashboard, and real runs' data.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunSummary } from "../../src/core/index.js";
import { logFileName } from "../../src/exec/index.js";
import type { StubRun } from "../../src/testing/index.js";

export const root = new URL("../../", import.meta.url).pathname;

/**
 * Builds the dashboard from the source (Vite, ~1 s) into `out`, by default a fresh directory;
 * returns it.
 */
export function buildDashboard(out = mkdtempSync(join(tmpdir(), "parex-dashboard-"))): string {
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  const built = spawnSync(
    process.execPath,
    [
      vite,
      "build",
      "-c",
      "src/dashboard/vite.config.ts",
      "--outDir",
      out,
      "--emptyOutDir",
      "--logLevel",
      "warn",
    ],
    { cwd: root, encoding: "utf8" },
  );
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stderr}`);
  return out;
}

/**
 * A project whose run has every outcome: `build` and `lint` succeed, `test` fails once and
 * passes on its retry, the optional `audit` fails, and `publish`, which needs it, is skipped.
 */
const config = {
  concurrency: 2,
  tasks: {
    build: {
      run: `node -e "console.log('compiling'); setTimeout(() => console.log('built'), 300)"`,
      group: "build",
    },
    lint: { run: `node -e "setTimeout(() => console.log('0 problems'), 150)"`, group: "lint" },
    test: {
      run: "node flaky.mjs",
      dependsOn: ["build"],
      group: "test",
      retry: { attempts: 2, initialDelayMs: 50 },
    },
    audit: {
      run: `node -e "console.error('2 vulnerabilities'); process.exit(3)"`,
      group: "security",
      optional: true,
    },
    publish: { run: "node -e 0", dependsOn: ["audit", "test"] },
  },
};

const flaky = `import { existsSync, writeFileSync } from "node:fs";
if (!existsSync(".attempted")) {
  writeFileSync(".attempted", "");
  console.log("first try: 1 test failed");
  process.exit(1);
}
// Tests take CPU time: long enough for the sampler (every 100 ms) to see it, most of the time.
const end = Date.now() + 250;
while (Date.now() < end);
console.log("retry: 12 tests passed");
`;

/** A new directory holding the project whose run has every outcome (above). */
export function everyOutcome(): string {
  const dir = mkdtempSync(join(tmpdir(), "parex-dashboard-project-"));
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, "flaky.mjs"), flaky);
  return dir;
}

/** The project's runs through the real CLI, as the stand-in API serves them. */
export interface CliRuns {
  readonly dir: string;
  /** The latest run first, as `GET /api/v1/runs` lists them. */
  readonly runs: StubRun[];
  /** `parex stats --json`, in the shape of `GET /api/v1/stats`. */
  readonly stats: Readonly<Record<string, unknown>>;
}

function parex(dir: string, args: string[]): string {
  const run = spawnSync(process.execPath, [`${root}bin/parex.js`, ...args], {
    cwd: dir,
    encoding: "utf8",
  });
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`parex ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

/**
 * Runs the project twice with `parex run --json`: `build`, `lint` and `test` alone (it
 * succeeds), then every task with `--continue` (it fails, every task having run or been skipped). The first run's durations are the second's learned
 * estimates, as the history would give them.
 */
export function cliRuns(): CliRuns {
  const dir = everyOutcome();
  // First the tasks that all succeed (a complete run: it has a scalability curve), then all.
  const summaries = [["build", "lint", "test"], ["--continue"]].map((tasks) => {
    rmSync(join(dir, ".attempted"), { force: true });
    return JSON.parse(parex(dir, ["run", ...tasks, "--json", "--output", "none"])) as RunSummary;
  });
  const [first, second] = summaries as [RunSummary, RunSummary];
  const estimates = new Map(first.tasks.map((t) => [t.id, t.durationMs]));
  const runs = [second, first].map((summary): StubRun => ({
    info: { runId: summary.runId, status: summary.status, startedAt: summary.startedAt, summary },
    graph: {
      runId: summary.runId,
      concurrency: summary.concurrency,
      tasks: Object.entries(config.tasks)
        .filter(([id]) => summary.tasks.some((t) => t.id === id))
        .map(([id, task]) => ({
          id,
          dependsOn: "dependsOn" in task ? task.dependsOn : [],
          ...("group" in task ? { group: task.group } : {}),
          ...(summary === second ? { estimateMs: estimates.get(id) } : {}),
        })),
    },
    log: (taskId, attempt) => {
      const task = summary.tasks.find((t) => t.id === taskId);
      const file = join(
        dir,
        ".parex",
        "logs",
        summary.runId,
        logFileName(taskId, attempt ?? task?.attempts ?? 1),
      );
      return existsSync(file) ? readFileSync(file, "utf8") : undefined;
    },
  }));
  return {
    dir,
    runs,
    stats: statsBody(JSON.parse(parex(dir, ["stats", "--json", "--by", "day"])) as StatsRow[]),
  };
}

interface StatsRow {
  period: string;
  runs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  failureRate: number;
  throughputPerSec: number;
  efficiency: number | null;
  flaky: { id: string; runs: number }[];
}

/** `parex stats --json` in the shape of `GET /api/v1/stats` (docs/dashboard.md). */
function statsBody(rows: readonly StatsRow[]): Readonly<Record<string, unknown>> {
  const flaky = new Map<string, number>();
  for (const row of rows)
    for (const f of row.flaky) flaky.set(f.id, (flaky.get(f.id) ?? 0) + f.runs);
  return {
    periods: rows.map((row) => ({
      start: row.period,
      runs: row.runs,
      failed: Math.round(row.failureRate * row.runs),
      failureRate: row.failureRate,
      makespanMs: { mean: row.meanMs, p50: row.p50Ms, p95: row.p95Ms, p99: row.p99Ms },
      throughputPerSec: row.throughputPerSec,
      efficiency: row.efficiency,
    })),
    // A flaky task failed once and passed on its retry in each of its runs here.
    flaky: [...flaky].map(([id, runs]) => ({ id, runs, failures: runs, flips: runs })),
  };
}

/**
 * Where controllable tasks wait: each connects and sends its name, and exits with the code the
 * test sends back, so the test decides when each task ends.
 */
export class Gate {
  readonly #server = createServer((socket) => this.#arrived(socket));
  readonly #waiting = new Map<string, Socket>();
  readonly #watchers = new Map<string, () => void>();

  async listen(): Promise<number> {
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    return (this.#server.address() as AddressInfo).port;
  }

  /** The command of a task that prints a line, then waits at the gate. */
  command(port: number, name: string): readonly string[] {
    const script = `console.log("hello from " + process.argv[1]); const s = require("net").connect(${port}, "127.0.0.1", () => s.write(process.argv[1])); s.on("data", (d) => { console.log("released"); process.exit(Number(d)); });`;
    return ["node", "-e", script, name];
  }

  /** Resolves once the task is waiting at the gate. */
  reached(name: string): Promise<void> {
    if (this.#waiting.has(name)) return Promise.resolve();
    return new Promise((resolve) => this.#watchers.set(name, resolve));
  }

  release(name: string, code: number): void {
    this.#waiting.get(name)?.end(String(code));
    this.#waiting.delete(name);
  }

  close(): void {
    for (const socket of this.#waiting.values()) socket.destroy();
    this.#server.close();
  }

  #arrived(socket: Socket): void {
    socket.once("data", (data) => {
      const name = data.toString();
      this.#waiting.set(name, socket);
      this.#watchers.get(name)?.();
      this.#watchers.delete(name);
    });
  }
}

/** Where screenshots go (gitignored): look at them after a run. */
export function screenshotPath(name: string): string {
  const dir = join(root, "test-results");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
