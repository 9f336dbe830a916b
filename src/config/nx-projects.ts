import { join, relative, sep } from "node:path";
import { isRecord } from "./config-checks.js";
import { withoutComments } from "./jsonc.js";
import { parseJson } from "./load-config.js";
import { mergeNxTarget, spread } from "./nx-merge.js";
import { nxRules, nxSettings } from "./nx-rules.js";
import { runCommandsOf } from "./nx-run-commands.js";
import type { NxSettings } from "./nx-rules.js";
import type { NxDependencyNames } from "./nx-inputs.js";
import { nxTarget } from "./nx-target.js";
import type { NxTargetContext } from "./nx-target.js";
import { readJson, readText } from "./read-file.js";
import { invalid } from "./turbo-rules.js";
import type { ForeignRules } from "./turbo-rules.js";
import type { PipelineEntry, WorkspacePackage } from "./workspaces.js";

/** One layer of a project's configuration: its package.json `nx`, or its project.json. */
interface Layer {
  /** As said to the user: `packages/web/project.json`. */
  readonly file: string;
  /** Where its targets sit in the file: `targets`, `nx.targets`. */
  readonly at: string;
  readonly targets: Readonly<Record<string, Record<string, unknown>>>;
  readonly namedInputs: Readonly<Record<string, unknown>>;
}

interface Project {
  readonly pkg: WorkspacePackage;
  /** Its directory from the root, `/`-separated. */
  readonly dir: string;
  /** package.json's `nx`, then project.json: the later one wins. */
  readonly layers: readonly Layer[];
}

/**
 * nx.json's rules ({@link nxRules}) and each workspace package's own project configuration —
 * its project.json and its package.json `nx` — as Nx reads them: a target there is merged over
 * the `targetDefaults` of its name field by field ({@link mergeNxTarget}; project.json over
 * package.json), and becomes the entry `pkg#target`; `namedInputs` there replace nx.json's of
 * the same name for that package's targets, those of `targetDefaults` included.
 */
export function nxWorkspaceRules(
  data: unknown,
  root: string,
  packages: readonly WorkspacePackage[],
): ForeignRules {
  const rules = nxRules(data);
  const settings = nxSettings(data);
  const projects = packages.map((pkg) => readProject(pkg, root));
  const ownNames = new Map(
    projects.map((p) => [p.pkg.name, p.layers.flatMap((l) => Object.keys(l.namedInputs))]),
  );
  const pipeline = { ...rules.pipeline };
  const notes = [...rules.notes];
  const executors = new ExecutorNotes();
  for (const project of projects) {
    const overridden = dependencyOverrides(project.pkg, packages, ownNames);
    const named: Record<string, unknown> = { ...settings.named };
    for (const layer of project.layers) Object.assign(named, layer.namedInputs);
    const reResolved =
      overridden.size > 0 || project.layers.some((l) => Object.keys(l.namedInputs).length > 0);
    const targets = new Set([
      ...project.layers.flatMap((l) => Object.keys(l.targets)),
      ...(reResolved ? Object.keys(rules.pipeline) : []),
    ]);
    for (const target of targets) {
      const dependencies = { named: settings.named, overridden };
      const context = { named, dependencies, projectDir: project.dir, notes, executors };
      pipeline[`${project.pkg.name}#${target}`] = projectTarget(project, target, settings, context);
    }
  }
  return {
    ...rules,
    pipeline: withReferencedTargets(pipeline),
    notes: [...new Set([...notes, ...executors.sentences()])],
  };
}

/** The script a `dependsOn` reference names: `build` of `^build`, `build`, `pkg#build`. */
function scriptOf(reference: string): string {
  const bare = reference.startsWith("^") ? reference.slice(1) : reference;
  return bare.slice(bare.indexOf("#") + 1);
}

/**
 * An entry, neither waiting nor cached, for each target a `dependsOn` names that has none: in
 * Nx every script is a target, so `"dependsOn": ["gen"]` runs `gen` first without rules of its own.
 */
function withReferencedTargets(
  pipeline: Record<string, PipelineEntry>,
): Record<string, PipelineEntry> {
  const scripts = new Set(Object.keys(pipeline).map((key) => key.slice(key.indexOf("#") + 1)));
  const named = Object.values(pipeline).flatMap((entry) => entry.dependsOn ?? []);
  const missing = named.map(scriptOf).filter((script) => !scripts.has(script));
  const added = Object.fromEntries(missing.map((s) => [s, { dependsOn: [], cache: false }]));
  return { ...pipeline, ...added };
}

/** What every target of a project is read with. */
interface ProjectContext extends Pick<NxTargetContext, "named" | "notes"> {
  readonly dependencies: NxDependencyNames;
  readonly projectDir: string;
  readonly executors: ExecutorNotes;
}

/** The entry of `target` in `project`: its layers merged over nx.json's defaults, read. */
function projectTarget(
  project: Project,
  target: string,
  settings: NxSettings,
  context: ProjectContext,
): PipelineEntry {
  const defaults = settings.defaults[target];
  let merged = isRecord(defaults) ? mergeNxTarget(undefined, defaults) : {};
  let where = { file: "nx.json", at: `targetDefaults.${target} (in ${project.pkg.name})` };
  let declared = false;
  for (const layer of project.layers) {
    const own = layer.targets[target];
    if (own === undefined) continue;
    declared = true;
    where = { file: layer.file, at: `${layer.at}.${target}` };
    checkLayer(own, where);
    merged = mergeNxTarget(merged, own);
  }
  const { named, dependencies, projectDir, notes } = context;
  const entry = nxTarget(merged, settings.cacheable.has(target), {
    ...where,
    ...{ named, dependencies, projectDir, notes },
  });
  // A project has the targets it declares; targetDefaults alone give it none.
  const command = declared
    ? runCommandsOf(merged, { name: project.pkg.name, dir: projectDir })
    : undefined;
  if (typeof command === "object") return { ...entry, command };
  context.executors.add(merged, target, project.pkg, command);
  return entry;
}

/** Refuses what one file gives a target that parex cannot read, naming that file. */
function checkLayer(target: Record<string, unknown>, where: { file: string; at: string }): void {
  const alone = Object.fromEntries(
    Object.entries(target).map(([key, value]) => [key, spread([], value)]),
  );
  nxTarget(alone, false, { ...where, named: {}, notes: [] });
}

/**
 * What parex does not run: targets that run an executor (`@nx/js:tsc`), or `nx:run-commands`
 * with what parex does not follow (runCommandsOf), one note per target, executor and reason,
 * naming the packages: where the package has a script of the target's name, parex runs that
 * instead.
 */
class ExecutorNotes {
  readonly #found = new Map<string, string[]>();

  /** `why`: the reason parex cannot run its `nx:run-commands` as Nx would. */
  add(target: Record<string, unknown>, name: string, pkg: WorkspacePackage, why?: string): void {
    const executor = target["executor"];
    if (typeof executor !== "string" || executor === "nx:run-script") return;
    const scripted = pkg.scripts[name] !== undefined;
    const key = JSON.stringify([name, executor, scripted, why ?? ""]);
    this.#found.set(key, [...(this.#found.get(key) ?? []), pkg.name]);
  }

  sentences(): string[] {
    return [...this.#found].map(([key, names]) => {
      const [target, executor, scripted, why] = JSON.parse(key) as [
        string,
        string,
        boolean,
        string,
      ];
      const runs =
        why === "" ? `runs ${executor}, which parex does not run` : `runs ${executor}, but ${why}`;
      const which = `the target "${target}" of ${names.join(", ")} ${runs}`;
      return scripted
        ? `nx: ${which}: parex runs the package script "${target}" instead`
        : `nx: ${which}: parex runs package scripts, and ${names.length === 1 ? "it has" : "they have"} no script "${target}"`;
    });
  }
}

/** The named inputs that the packages `pkg` depends on, directly or not, define their own way. */
function dependencyOverrides(
  pkg: WorkspacePackage,
  packages: readonly WorkspacePackage[],
  ownNames: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const seen = new Set<string>();
  const names = new Set<string>();
  const stack = [...pkg.dependencies];
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    const dependency = byName.get(name);
    if (dependency === undefined || seen.has(name) || dependency === pkg) continue;
    seen.add(name);
    for (const own of ownNames.get(name) ?? []) names.add(own);
    stack.push(...dependency.dependencies);
  }
  return names;
}

/** A package's package.json `nx` and project.json, checked; absent ones are left out. */
function readProject(pkg: WorkspacePackage, root: string): Project {
  const dir = relative(root, pkg.dir).split(sep).join("/");
  const layers: Layer[] = [];
  const manifest = `${dir}/package.json`;
  const nx = readJson(join(pkg.dir, "package.json"))?.["nx"];
  if (nx !== undefined) layers.push(layerOf(nx, { file: manifest, at: "nx" }));
  const projectFile = `${dir}/project.json`;
  const text = readText(join(pkg.dir, "project.json"));
  if (text !== undefined)
    layers.push(layerOf(parseJson(withoutComments(text), projectFile), { file: projectFile }));
  return { pkg, dir, layers };
}

function layerOf(data: unknown, { file, at }: { file: string; at?: string }): Layer {
  const path = (key: string): string => (at === undefined ? key : `${at}.${key}`);
  if (!isRecord(data)) throw invalid(file, at ?? "top level", "an object", data);
  const targets = data["targets"] ?? {};
  if (!isRecord(targets)) throw invalid(file, path("targets"), "an object of targets", targets);
  for (const [name, target] of Object.entries(targets)) {
    if (!isRecord(target)) throw invalid(file, path(`targets.${name}`), "an object", target);
  }
  const namedInputs = data["namedInputs"] ?? {};
  if (!isRecord(namedInputs))
    throw invalid(file, path("namedInputs"), "an object of named inputs", namedInputs);
  return {
    file,
    at: path("targets"),
    targets: targets as Record<string, Record<string, unknown>>,
    namedInputs,
  };
}
