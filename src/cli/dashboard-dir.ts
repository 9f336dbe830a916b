import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Io } from "./io.js";

/**
 * Where `npm run build` puts the dashboard: `dist/dashboard/` of the parex package, found from
 * this module wherever it runs (src/cli in a checkout, dist/cli, or a chunk of dist/bundle);
 * `PAREX_DASHBOARD_DIR` names another build (a test's own, built apart from the checkout's).
 */
export function dashboardDir(env: Io["env"]): string {
  const chosen = env["PAREX_DASHBOARD_DIR"];
  if (chosen !== undefined && chosen !== "") return chosen;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, "dist", "dashboard");
}
