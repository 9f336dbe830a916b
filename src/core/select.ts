import { ParexError } from "./errors.js";
import { unknownNameHint } from "./suggest.js";
import type { TaskSpec } from "./task-spec.js";

/**
 * The tasks named, with every task they depend on, directly or not, in declaration order.
 * No names selects every task. An unknown name throws ParexError UNKNOWN_TASK.
 */
export function selectTasks<A>(
  specs: readonly TaskSpec<A>[],
  names: readonly string[],
): TaskSpec<A>[] {
  if (names.length === 0) return [...specs];
  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  const chosen = new Set<string>();
  const stack = names.map((name) => {
    if (!byId.has(name)) {
      const hint = unknownNameHint(name, [...byId.keys()], {
        what: "tasks",
        none: "There are no tasks.",
      });
      throw new ParexError("UNKNOWN_TASK", `Unknown task "${name}".${hint}`);
    }
    return name;
  });
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (chosen.has(id)) continue;
    chosen.add(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) if (byId.has(dep)) stack.push(dep);
  }
  return specs.filter((spec) => chosen.has(spec.id));
}
