// The task cache's storage: output files by glob, artifacts (outputs + log as one tar.gz), and
// a local content-addressed store of artifacts by cache key, and a client of turbo's remote
// cache API tiered behind it.
export { matchOutputs } from "./output-files.js";
export { packArtifact, unpackArtifact } from "./artifact.js";
export type { PackInput, Unpacked } from "./artifact.js";
export { LocalCache } from "./local-cache.js";
export type { CacheMeta, CleanOptions, CleanResult } from "./local-cache.js";
export { cachingExecutor } from "./caching-executor.js";
export type { CacheMode, CachingOptions, TaskCacheStatus } from "./caching-executor.js";
export { cacheFormat, gitRoot, TaskKeys } from "./task-keys.js";
export type { KeyContext, KeyRecipe, TaskKey } from "./task-keys.js";
export { InputHasher, inputDigest } from "./input-digest.js";
export { listGitFilesEarly } from "./git-files.js";
export type { InputDigest, InputDigestOptions } from "./input-digest.js";
export { affectedTasks, isTaskOutput } from "./affected.js";
export type { Affected, AffectedContext } from "./affected.js";
export { changedFiles, ignoredPaths } from "./changed-files.js";
export type {
  BaseSource,
  ChangedFiles,
  ChangedFilesFailure,
  ChangedFilesOptions,
} from "./changed-files.js";
export { dryPlan } from "./dry-plan.js";
export type { DryCacheStatus, DryPlanOptions, DryTask } from "./dry-plan.js";
export { findEntry } from "./find-entry.js";
export type { EntryStore, FoundEntry } from "./find-entry.js";
export { TieredCache } from "./tiered-cache.js";
export type {
  CacheHit,
  CacheSource,
  CacheStore,
  RemoteWarning,
  TieredCacheOptions,
} from "./tiered-cache.js";
export { RemoteCache } from "./remote-cache.js";
export type {
  RemoteCacheOptions,
  RemoteFailure,
  RemoteLookup,
  RemoteUpload,
} from "./remote-cache.js";
export { artifactTag } from "./artifact-tag.js";
