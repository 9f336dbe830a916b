import { once } from "node:events";

/** Where a command reads and writes: the process in real use, buffers in tests. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout and stderr are terminals. */
  readonly tty: { readonly stdout: boolean; readonly stderr: boolean };
  /** Pending while stdout or stderr has more buffered than its reader has taken. */
  readonly backpressure?: () => Promise<void> | undefined;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

// A reader that goes away (`parex run | head`) must not crash the run: the tasks go on, and
// what is written after that is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

/** The real process's streams and working directory. */
export const processIo: Io = {
  cwd: process.cwd(),
  env: process.env,
  tty: { stdout: process.stdout.isTTY, stderr: process.stderr.isTTY },
  backpressure: () => {
    const full = [process.stdout, process.stderr].filter((stream) => stream.writableNeedDrain);
    return full.length === 0
      ? undefined
      : Promise.all(full.map((s) => once(s, "drain"))).then(() => undefined);
  },
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};
