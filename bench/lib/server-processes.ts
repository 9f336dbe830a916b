/**
 * The processes of the server benchmarks: upstream services that answer after a delay, and
 * servers under test, each in a process of its own so that the load client never shares a
 * thread with what it measures.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** Three services that answer `{ n }` after `delayMs`; prints their base URLs as one JSON line. */
export async function upstreams(delayMs: number): Promise<void> {
  const urls = await Promise.all(
    [1, 2, 3].map(
      (n) =>
        new Promise<string>((resolve) => {
          const server = createServer((_request, response) => {
            setTimeout(() => {
              response.writeHead(200, { "content-type": "application/json" });
              response.end(JSON.stringify({ n }));
            }, delayMs);
          });
          // The overload benchmark opens thousands of connections to each.
          server.maxConnections = 20_000;
          server.listen(0, "127.0.0.1", 4096, () =>
            resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
          );
        }),
    ),
  );
  console.log(JSON.stringify(urls));
}

/** Starts `script` with `args` in a child process and resolves with its first line. */
export function child(
  script: string,
  args: readonly string[],
): Promise<{ process: ChildProcess; line: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) =>
      reject(new Error(`${args.join(" ")} exited (${code}) before it was ready`)),
    );
    proc.stdout?.once("data", (chunk: Buffer) =>
      resolve({ process: proc, line: chunk.toString().trim() }),
    );
  });
}

/** Stops a child and waits until it is gone, so the next server does not share the cores. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill();
  });
}
