import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A running turborepo-remote-cache server, the open-source server teams run for turbo. */
export interface RemoteCacheServer {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The token it accepts. */
  readonly token: string;
  /** Where it keeps entries: `<storage>/<team>/<key>`, and `<key>.tag` beside a signed one. */
  readonly storage: string;
  /** Stops the server and waits for its process to end. */
  stop(): Promise<void>;
}

/**
 * Starts turborepo-remote-cache (a devDependency) on 127.0.0.1, on a port the system picks,
 * storing entries in a fresh temporary directory. `signing` makes it keep uploads'
 * `x-artifact-tag` and send it back, as it does only when its TURBO_REMOTE_CACHE_SIGNATURE_KEY
 * is set (the server never checks tags itself).
 */
export async function startRemoteCacheServer(
  options: { signing?: boolean } = {},
): Promise<RemoteCacheServer> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("turborepo-remote-cache/package.json"));
  const storage = mkdtempSync(join(tmpdir(), "parex-remote-cache-"));
  const token = "test-token";
  const child = spawn(process.execPath, [join(root, "dist", "cli.js")], {
    env: {
      PATH: process.env["PATH"] ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      STORAGE_PROVIDER: "local",
      STORAGE_PATH: storage,
      STORAGE_PATH_USE_TMP_FOLDER: "false",
      TURBO_TOKEN: token,
      ...(options.signing === true ? { TURBO_REMOTE_CACHE_SIGNATURE_KEY: "server-side" } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit");
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      seen += chunk;
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.stderr.resume();
    child.on("exit", (code) =>
      reject(new Error(`turborepo-remote-cache exited (${code}) before listening:\n${seen}`)),
    );
  });
  return {
    url,
    token,
    storage,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
