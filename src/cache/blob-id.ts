import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { lstat, open, readlink } from "node:fs/promises";
import { setImmediate as yieldToLoop } from "node:timers/promises";

/** Files up to this size are read whole; larger ones are hashed a chunk at a time. */
const readWholeBytes = 32 * 1024 * 1024;
const chunkBytes = 1024 * 1024;

/**
 * Git's object id of a blob holding `content`: the SHA-1 of `blob <size>\0<content>`, what
 * `git hash-object` prints and what the index records for a file.
 */
export function blobId(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/**
 * The blob id git would give the file at `path` as it is now: a regular file by its bytes, a
 * symbolic link by its target's text (never followed, as git stores a link). Undefined when
 * nothing is there any more, or when it is neither (a directory, a socket, a FIFO — never
 * opened, so a FIFO cannot block). Rejects when the file cannot be read (EACCES, EIO).
 */
export async function fileBlobId(path: string): Promise<string | undefined> {
  try {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) return blobId(await readlink(path, { encoding: "buffer" }));
    if (!stats.isFile()) return undefined;
    return await regularFileBlobId(path);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

async function regularFileBlobId(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size <= readWholeBytes) return blobId(await handle.readFile());
    // The header needs the size first; a file that grows while it is read is hashed as the
    // bytes read, so the id still changes with the content.
    const hash = createHash("sha1").update(`blob ${size}\0`);
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
    }
    return hash.digest("hex");
  } finally {
    await handle.close();
  }
}

/** Files up to this size are read in one synchronous call by {@link fileBlobIds}. */
const syncBytes = 1024 * 1024;
/** How long {@link fileBlobIds} reads before letting the event loop run (task output, signals). */
const sliceMs = 4;

/**
 * The blob ids of the files at `paths`, as {@link fileBlobId} gives each. A source tree is
 * thousands of small files: each is read with one synchronous call (four system calls, no
 * round trips through the thread pool, about ten times faster than the promise API here), in
 * slices of a few milliseconds between which the event loop runs; larger files are read as
 * {@link fileBlobId} reads them.
 */
export async function fileBlobIds(paths: Iterable<string>): Promise<(string | undefined)[]> {
  const ids: (string | undefined)[] = [];
  let sliceStart = performance.now();
  for (const path of paths) {
    if (performance.now() - sliceStart > sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
    const quick = smallFileBlobId(path);
    ids.push(quick === large ? await fileBlobId(path) : quick);
  }
  return ids;
}

const large = Symbol("large");

/** {@link fileBlobId} for a symlink or a small regular file, read synchronously; `large` otherwise. */
function smallFileBlobId(path: string): string | undefined | typeof large {
  try {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return blobId(readlinkSync(path, { encoding: "buffer" }));
    if (!stats.isFile()) return undefined;
    if (stats.size > syncBytes) return large;
    // Read whatever is there now: the id follows the bytes even if the file changed since lstat.
    return blobId(readFileSync(path));
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** A file removed (or a directory replaced by a file) since it was listed. */
function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
