import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { commands } from "./commands.js";
import { cacheDoc } from "./cache-command.js";
import { graphDoc } from "./graph-command.js";
import { historyDoc } from "./history-command.js";
import { planDoc } from "./plan-command.js";
import { runDoc } from "./run-command.js";
import { serveDoc } from "./serve-command.js";
import { statsDoc } from "./stats-command.js";
import { uiDoc } from "./ui-command.js";
import { workerDoc } from "./worker-command.js";
import { workersDoc } from "./workers-command.js";
import { choiceOf } from "./args.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";

const docs: Readonly<Record<string, CommandDoc>> = {
  run: runDoc,
  plan: planDoc,
  graph: graphDoc,
  history: historyDoc,
  stats: statsDoc,
  serve: serveDoc,
  ui: uiDoc,
  cache: cacheDoc,
  worker: workerDoc,
  workers: workersDoc,
};

/** docs/cli.md's option table: each row's long options and the commands it names. */
function documentedOptions(): { options: string[]; commands: string[] }[] {
  const text = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");
  const table = text.slice(text.indexOf("| option"), text.indexOf("**Exit codes**"));
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [option = "", named = ""] = line.split("|").slice(1, 3);
      const listed = named.trim() === "all" ? Object.keys(docs) : named.split(",");
      return {
        options: [...option.matchAll(/--([a-z-]+)/g)].map((m) => m[1] ?? ""),
        commands: listed.map((c) => c.trim()).sort(),
      };
    });
}

describe("the options of each command", () => {
  it("are documented in docs/cli.md for exactly the commands that take them", () => {
    const rows = documentedOptions();
    const takers = new Map<string, string[]>();
    for (const [command, doc] of Object.entries(docs))
      for (const name of Object.keys(doc.options))
        takers.set(name, [...(takers.get(name) ?? []), command]);
    for (const [name, taking] of takers) {
      const row = rows.find((r) => r.options.includes(name));
      assert.ok(row, `--${name} is not in docs/cli.md's option table`);
      assert.deepEqual(row.commands, taking.sort(), `the commands of --${name}`);
    }
    const documented = rows.flatMap((r) => r.options);
    assert.deepEqual(
      documented.filter((name) => !takers.has(name)),
      [],
      "options documented that no command takes",
    );
  });

  it("are every command that `parex --help` lists, each with its help", () => {
    assert.deepEqual(
      commands.map((c) => c.name),
      Object.keys(docs),
    );
    const text = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");
    for (const name of Object.keys(docs)) assert.match(text, new RegExp(`^parex ${name}\\b`, "m"));
  });

  it("are shown in one aligned column, continuation lines under their first", () => {
    const text = helpText({
      usage: "parex x [options]",
      about: ["Does x."],
      options: {
        config: { type: "string", short: "c", value: "FILE", help: ["a file"] },
        "compare-sequential": { type: "boolean", help: ["one", "two"] },
      },
      footer: ["Exit codes: 0."],
    });
    assert.equal(
      text,
      [
        "Usage: parex x [options]",
        "",
        "Does x.",
        "",
        "Options:",
        "  -c, --config FILE         a file",
        "      --compare-sequential  one",
        "                            two",
        "  -h, --help                show this help",
        "",
        "Exit codes: 0.",
      ].join("\n"),
    );
  });
});

describe("an option's value outside its choices", () => {
  it("is refused with the choices, and the nearest one", () => {
    assert.throws(
      () => choiceOf("run", "--strategy", "parital", ["all", "partial", "best_effort"]),
      {
        name: "UsageError",
        message:
          'parex run: --strategy must be all, partial or best_effort, got "parital". Did you mean "partial"?',
      },
    );
    assert.throws(() => choiceOf("stats", "--by", "year", ["day", "week"]), {
      message: 'parex stats: --by must be day or week, got "year".',
    });
    assert.equal(choiceOf("stats", "--by", "day", ["day", "week"]), "day");
  });
});
