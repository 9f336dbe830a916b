import { existsSync, readFileSync } from "node:fs";
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

/** What Vite's .vite/manifest.json says of a file it built (the fields read here). */
export interface ManifestEntry {
  readonly file: string;
  readonly name?: string;
  readonly isEntry?: boolean;
  readonly isWorker?: boolean;
  readonly css?: readonly string[];
}

/**
 * The files of the dashboard built in `dir`, as the manifest Vite writes beside them says
 * (src/dashboard/vite.config.ts). Throws an Error saying which file is missing or not JSON.
 */
export function dashboardManifest(dir: string): readonly ManifestEntry[] {
  const file = join(dir, ".vite/manifest.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`${file} is missing`);
  }
  try {
    return Object.values(JSON.parse(text) as Record<string, ManifestEntry>);
  } catch {
    throw new Error(`${file} is not JSON`);
  }
}
