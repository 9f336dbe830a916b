import { readFileSync } from "node:fs";
import { commands, suggestCommand, usage } from "./commands.js";

/**
 * The composition root of the parex command. For now it answers --help and --version and
 * rejects what it does not know; the commands themselves arrive with the CLI issue.
 */
function main(argv: readonly string[]): number {
  const [first] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    console.log(usage);
    return 0;
  }
  if (first === "--version" || first === "-v") {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      version: string;
    };
    console.log(pkg.version);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (command === undefined) {
    const guess = suggestCommand(first);
    const hint =
      guess === undefined
        ? "Run `parex --help` for the commands."
        : `Did you mean \`parex ${guess}\`?`;
    console.error(`parex: unknown command "${first}". ${hint}`);
    return 2;
  }
  console.error(
    `parex ${command.name}: not available in this version yet. Use the library meanwhile: import { run } from "parex".`,
  );
  return 2;
}

process.exitCode = main(process.argv.slice(2));
