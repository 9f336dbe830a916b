/** Repeated, interleaved measurements of several runners on one workspace. */
import { measure } from "./measure.js";
import type { Measured } from "./measure.js";
import type { Runner } from "./runners.js";
import type { Workspace } from "./workspace.js";

/** Runs each runner `reps` times, interleaved, with `slots`; a failed run is an error. */
export async function sampleRunners(
  runners: readonly Runner[],
  ws: Workspace,
  slots: number,
  reps: number,
): Promise<Map<Runner, Measured[]>> {
  const byRunner = new Map<Runner, Measured[]>(runners.map((r) => [r, []]));
  for (const runner of runners) runner.prepare?.(ws, slots);
  for (let rep = 0; rep < reps; rep++) {
    for (const runner of runners) {
      runner.reset(ws);
      const result = await measure(runner.command(ws, slots));
      if (result.exitCode !== 0)
        throw new Error(`${runner.name} failed (exit ${result.exitCode}):\n${result.output}`);
      byRunner.get(runner)?.push(result);
    }
  }
  return byRunner;
}

/** The runners that are installed, and a note naming those that are not. */
export function installed(runners: readonly Runner[]): {
  available: Runner[];
  note: string;
} {
  const available = runners.filter((r) => r.version() !== undefined);
  const missing = runners.filter((r) => r.version() === undefined).map((r) => r.name);
  return {
    available,
    note:
      `Versions: ${available.map((r) => `${r.name} ${r.version() ?? ""}`).join(", ")}` +
      (missing.length > 0 ? `. Not installed, skipped: ${missing.join(", ")}.` : "."),
  };
}
