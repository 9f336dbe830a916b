import { Header, Parser, Pax } from "tar";
import type { ReadEntry } from "tar";

/** One entry of an artifact: a file with its bytes and mode, or a symlink with its target text. */
export type ArtifactEntry =
  | { readonly type: "file"; readonly path: string; readonly mode: number; readonly data: Buffer }
  | { readonly type: "symlink"; readonly path: string; readonly target: string };

const block = 512;

/** The mode written for every symlink (the mode of a symlink means nothing on Linux or macOS). */
const symlinkMode = 0o777;

/**
 * A tar archive (ustar, with pax headers for long or non-ASCII names) of `entries` in the order
 * given. Only the path, mode, size, type and link target are written: no owner, no times, so
 * equal entries always give equal bytes.
 */
export function encodeTar(entries: readonly ArtifactEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === "file" ? entry.data : Buffer.alloc(0);
    const link = entry.type === "symlink" ? { linkpath: entry.target } : {};
    const header = new Header({
      path: entry.path,
      mode: entry.type === "file" ? entry.mode : symlinkMode,
      size: data.length,
      type: entry.type === "file" ? "File" : "SymbolicLink",
      ...link,
    });
    if (header.encode()) parts.push(new Pax({ path: entry.path, ...link }).encode());
    if (header.block === undefined) throw new Error(`Cannot encode a tar header for ${entry.path}`);
    parts.push(header.block, data, Buffer.alloc(padding(data.length)));
  }
  parts.push(Buffer.alloc(2 * block));
  return Buffer.concat(parts);
}

function padding(size: number): number {
  return (block - (size % block)) % block;
}

/**
 * The entries of a tar archive, in its order, with their paths and link targets exactly as
 * written: nothing is stripped or normalised here, so the caller judges what it would write.
 * Rejects a damaged archive (a bad checksum, a truncated entry) and any entry that is neither a
 * file nor a symlink, naming it.
 */
export function decodeTar(tar: Buffer): Promise<ArtifactEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ArtifactEntry[] = [];
    let refusal: Error | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry) => {
        const refused = collect(entry, (read) => entries.push(read));
        refusal ??= refused;
      },
    });
    parser.on("error", reject);
    parser.on("end", () => {
      if (refusal === undefined) resolve(entries);
      else reject(refusal);
    });
    parser.end(tar);
  });
}

/**
 * Reads one entry into `done`, or returns why it is refused. The parser emits the next entry only
 * after this one's end, so `done` is called in archive order.
 */
function collect(entry: ReadEntry, done: (entry: ArtifactEntry) => void): Error | undefined {
  const { path, type } = entry;
  if (type === "File" || type === "OldFile") {
    const chunks: Buffer[] = [];
    const mode = entry.mode ?? 0o644;
    entry.on("data", (chunk) => chunks.push(chunk));
    entry.on("end", () => done({ type: "file", path, mode, data: Buffer.concat(chunks) }));
    return undefined;
  }
  entry.resume();
  if (type === "SymbolicLink") {
    done({ type: "symlink", path, target: entry.linkpath ?? "" });
    return undefined;
  }
  return new Error(
    `Refusing cache artifact entry "${path}": it is a ${type}, and an artifact holds only files and symlinks.`,
  );
}
