/** The parex CLI measured from outside: startup, small graphs, 1,000 tasks, heavy output. */
import { fmt, markdown, node, stats } from "../lib/harness.js";
import type { ScenarioResult } from "../lib/harness.js";

export function cli(quick: boolean): ScenarioResult {
  const reps = quick ? 2 : 10;
  const rows = node("bench/workloads/cli.ts", [reps]);
  const byCase = new Map(rows.map((r) => [String(r["case"]), r]));
  const med = (name: string, key: "wall" | "rssKb") =>
    stats((byCase.get(name)?.[key] as unknown as number[] | undefined) ?? []);
  const table = markdown(
    ["case", "wall (s), median", "min–max", "peak RSS (MB), median"],
    rows.map((r) => {
      const wall = stats(r["wall"] as unknown as number[]);
      const rss = stats(r["rssKb"] as unknown as number[]);
      return [
        String(r["case"]),
        fmt(wall.median),
        `${fmt(wall.min)}–${fmt(wall.max)}`,
        fmt(rss.median / 1024, 0),
      ];
    }),
  );
  const loud = med("one task printing 100 MB (streamed)", "rssKb").median / 1024;
  const quiet = med("one quiet task (streamed), for the 100 MB comparison", "rssKb").median / 1024;
  return {
    title: `parex run from outside: whole processes of the built CLI (${reps} runs each)`,
    command: `npm run bench -- cli${quick ? " --quick" : ""}`,
    table,
    verdicts: [
      `startup, one trivial task: ${fmt(med("one trivial task", "wall").median)} s (goal ≤ 0.15; node -e 0: ${fmt(med("node -e 0", "wall").median)} s)`,
      `six trivial tasks, chain of depth 4: ${fmt(med("six trivial tasks, chain of depth 4", "wall").median)} s (goal ≤ 0.3)`,
      `1,000 trivial tasks: peak RSS ${fmt(med("1,000 trivial tasks", "rssKb").median / 1024, 0)} MB (goal ≤ 80)`,
      `history overhead on 1,000 trivial tasks: ${fmt((med("1,000 trivial tasks, with history", "wall").median / med("1,000 trivial tasks", "wall").median - 1) * 100, 0)} % (goal ≤ 5 %)`,
      `100 MB of output grows the runner by ${fmt(loud - quiet, 0)} MB (goal ≤ 64)`,
    ],
  };
}
