import { relative, sep } from "node:path";
import { atRoot, isParentGlob } from "./root-globs.js";
import type { ForeignRules } from "./turbo-rules.js";
import type { PipelineEntry, WorkspacePackage } from "./workspaces.js";

/**
 * turbo.json's and lage's `../` inputs, which are relative to each package, as root globs of
 * each package (`packages/web` reading `../../tsconfig.base.json` reads `$root/tsconfig.base.json`):
 * an entry `build` with one becomes an entry `pkg#build` for each package that has no entry of
 * its own, and `pkg#build` is resolved for `pkg`. One that leaves the workspace root leaves
 * that package's task uncached, and a note says so.
 */
export function withParentInputs(
  rules: ForeignRules,
  file: string,
  { root, packages }: { root: string; packages: readonly WorkspacePackage[] },
): ForeignRules {
  const pipeline = { ...rules.pipeline };
  const outside = new Map<string, string[]>();
  const resolve = (key: string, pkg: WorkspacePackage, entry: PipelineEntry): PipelineEntry => {
    const dir = relative(root, pkg.dir).split(sep).join("/");
    const inputs = (entry.inputs ?? []).map((glob) => fromRoot(glob, dir));
    const away = (entry.inputs ?? []).filter((_, i) => inputs[i] === undefined);
    if (away.length === 0) return { ...entry, inputs: inputs as string[] };
    const said = JSON.stringify([key.slice(key.indexOf("#") + 1), away.join(", ")]);
    outside.set(said, [...(outside.get(said) ?? []), pkg.name]);
    // Uncached, its files do not matter: what it waits for, and persistent, stay.
    return {
      dependsOn: entry.dependsOn ?? [],
      ...(entry.persistent === undefined ? {} : { persistent: entry.persistent }),
      cache: false,
    };
  };
  for (const [key, entry] of Object.entries(rules.pipeline)) {
    if (!(entry.inputs ?? []).some(isParentGlob) || entry.cache === false) continue;
    const hash = key.indexOf("#");
    for (const pkg of packages) {
      if (
        hash >= 0 ? key.slice(0, hash) === pkg.name : pipeline[`${pkg.name}#${key}`] === undefined
      )
        pipeline[hash >= 0 ? key : `${pkg.name}#${key}`] = resolve(key, pkg, entry);
    }
  }
  const notes = [...outside].map(([said, names]) => {
    const [task, globs] = JSON.parse(said) as [string, string];
    return `${file}: ${task} of ${names.join(", ")} is not cached: its inputs leave the workspace root (${globs})`;
  });
  return { ...rules, pipeline, notes: [...rules.notes, ...notes] };
}

/** A glob of the package at `dir` as one of the root; a `../` one leaving the root: undefined. */
function fromRoot(glob: string, dir: string): string | undefined {
  if (!isParentGlob(glob)) return glob;
  const negated = glob.startsWith("!");
  const body = negated ? glob.slice(1) : glob;
  const up = (/^(?:\.\.\/)+/.exec(body)?.[0].length ?? 0) / 3;
  const segments = dir === "" ? [] : dir.split("/");
  if (up > segments.length) return undefined;
  const path = [...segments.slice(0, segments.length - up), body.slice(up * 3)].join("/");
  return atRoot(negated ? `!${path}` : path);
}
