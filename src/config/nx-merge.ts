/**
 * A target of a project over the one beneath it (nx.json's `targetDefaults`, or package.json's
 * `nx` target under project.json's), as Nx merges them: each field the upper one gives
 * replaces the lower one's, and `"..."` in an array stands for the lower one's items there
 * (`"dependsOn": ["...", "codegen"]`); `options` merge key by key. When both name different
 * executors, or different commands of `nx:run-commands`, nothing of the lower one is kept.
 * `"command"` is Nx's shorthand for `nx:run-commands` and its `options.command`.
 */
export function mergeNxTarget(
  lower: Readonly<Record<string, unknown>> | undefined,
  upper: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const top = expandCommand(upper);
  const under = lower === undefined ? {} : expandCommand(lower);
  const base = compatible(under, top) ? under : {};
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    merged[key] =
      key === "options" && isObject(value) && isObject(base[key])
        ? { ...base[key], ...value }
        : spread(base[key], value);
  }
  return merged;
}

/** `"..."` in `value` as the items of `base` (none when it has none); anything else: `value`. */
export function spread(base: unknown, value: unknown): unknown {
  if (!Array.isArray(value) || !value.includes("...")) return value;
  return value.flatMap((item: unknown) =>
    item === "..." ? (Array.isArray(base) ? (base as unknown[]) : []) : [item],
  );
}

/** Whether Nx merges the two: not when they run different executors, or commands. */
function compatible(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (a["executor"] === undefined || b["executor"] === undefined) return true;
  if (a["executor"] !== b["executor"]) return false;
  if (a["executor"] !== "nx:run-commands") return true;
  const [x, y] = [commandOf(a), commandOf(b)];
  return x === undefined || y === undefined || x === y;
}

/** The command an `nx:run-commands` target runs, its `commands` joined as Nx compares them. */
function commandOf(target: Record<string, unknown>): string | undefined {
  const options = isObject(target["options"]) ? target["options"] : {};
  if (typeof options["command"] === "string") return options["command"];
  const list = options["commands"];
  return Array.isArray(list) ? list.map((c) => JSON.stringify(c)).join(" && ") : undefined;
}

function expandCommand(target: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { command, ...rest } = target;
  if (command === undefined) return { ...rest };
  const options = isObject(rest["options"]) ? rest["options"] : {};
  return { ...rest, executor: "nx:run-commands", options: { ...options, command } };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
