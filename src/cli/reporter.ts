import type { RunListener, TaskGraph } from "../core/index.js";
import { colors, lineReporter, LiveReporter, plain } from "../report/index.js";
import type { OutputMode } from "../report/index.js";
import type { Io } from "./io.js";

/**
 * A live status area on a terminal; plain lines in CI, in pipes and files (with GitHub Actions
 * groups there). Colours unless NO_COLOR is set.
 */
export function reporter(
  io: Io,
  options: { output: OutputMode; json: boolean; graph: TaskGraph; logged: boolean },
): RunListener {
  const { output, graph, logged } = options;
  const write = options.json ? io.stderr : io.stdout;
  const tty = options.json ? io.tty.stderr : io.tty.stdout;
  const ci = io.env["CI"] !== undefined && io.env["CI"] !== "false" && io.env["CI"] !== "0";
  if (tty && !ci) {
    const style = io.env["NO_COLOR"] ? plain : colors;
    return new LiveReporter({ output, write, style, graph, logged }).listener;
  }
  const githubActions = io.env["GITHUB_ACTIONS"] === "true";
  return lineReporter({ output, write, githubActions, graph, logged });
}
