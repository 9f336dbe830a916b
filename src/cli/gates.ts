import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { evaluateBudget, evaluateGate, TextTail } from "../core/index.js";
import type { GateResult, GateSpec, RunResult } from "../core/index.js";
import type { LoadedConfig } from "../config/index.js";
import type { RunPart } from "./run-parts.js";

/** Output kept per gated task for its patterns: the end of it, at most this many characters. */
const keptOutput = 1 << 20;

/**
 * Watches the output of tasks that have pattern gates, and evaluates every gate once the run
 * is over into the summary's `gates`: numbers from the output or from JSON files the tasks
 * wrote, and the run's budget.
 */
export function gateKeeper(config: Pick<LoadedConfig, "gates" | "budgetMs">): RunPart {
  // The tail keeps chunks, not one string rebuilt per chunk: 10,000 small chunks of a long
  // output cost 10,000 pushes, not 10,000 copies of the last megabyte.
  const outputs = new Map<string, TextTail>();
  return {
    listener: (event) => {
      if (event.type !== "task.output" || !config.gates.has(event.taskId)) return;
      let tail = outputs.get(event.taskId);
      if (tail === undefined) outputs.set(event.taskId, (tail = new TextTail(keptOutput)));
      tail.push(event.chunk);
    },
    conclude: (summary, { run, analysis }) => ({
      ...summary,
      gates: evaluate(config, run, analysis.makespanMs, outputs),
    }),
  };
}

function evaluate(
  config: Pick<LoadedConfig, "gates" | "budgetMs">,
  run: RunResult,
  makespanMs: number,
  outputs: ReadonlyMap<string, TextTail>,
): GateResult[] {
  const results: GateResult[] = [];
  for (const task of run.tasks) {
    const gated = config.gates.get(task.id);
    if (gated === undefined) continue;
    for (const gate of gated.gates) {
      if (task.status !== "succeeded") {
        const message = `${gate.name}: not checked, task "${task.id}" ${task.status}`;
        results.push({ name: gate.name, status: gate.level ?? "fail", message });
        continue;
      }
      results.push(evaluateGate(gate, input(gate, gated.cwd, outputs.get(task.id)?.text() ?? "")));
    }
  }
  if (config.budgetMs !== undefined) results.push(evaluateBudget(config.budgetMs, makespanMs));
  return results;
}

function input(gate: GateSpec, cwd: string, output: string): { output?: string; json?: unknown } {
  if (gate.file === undefined) return { output };
  try {
    return { json: JSON.parse(readFileSync(resolve(cwd, gate.file), "utf8")) as unknown };
  } catch {
    return {};
  }
}
