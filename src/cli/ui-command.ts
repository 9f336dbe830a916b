import { configOption, parseCommand, string } from "./args.js";
import { interrupted, portOf, startDashboard } from "./dashboard-server.js";
import type { Io } from "./io.js";
import { configFileFor } from "./open-history.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";

/** `parex ui --help`, and the options it parses. */
export const uiDoc: CommandDoc = {
  usage: "parex ui [options]",
  about: [
    "Serves the dashboard over this config's history (.parex/history.db) on 127.0.0.1, until",
    "Ctrl-C: the runs, their replay, trends by day and week. Prints a login link on stderr; it works",
    "once, within 5 minutes (docs/dashboard.md).",
  ],
  options: {
    ...configOption,
    port: { type: "string", value: "N", help: ["port to listen on (default: a free one)"] },
  },
};

/** `parex ui`: runs until SIGINT or SIGTERM; returns the exit code. */
export async function uiCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand("ui", argv, uiDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(uiDoc)}\n`);
    return 0;
  }
  const port = portOf("parex ui: --port", string(values["port"]));
  const dashboard = await startDashboard({
    configFile: configFileFor(string(values["config"]), io),
    port,
    flag: "parex ui: --port",
    history: true,
    io,
  });
  io.stderr(`parex ui: serving ${dashboard.url}/dashboard/ (Ctrl-C to stop)\n`);
  await interrupted();
  await dashboard.close();
  io.stderr("parex ui: stopped\n");
  return 0;
}
