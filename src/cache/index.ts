// The task cache's storage: output files by glob, artifacts (outputs + log as one tar.gz), and
// a local content-addressed store of artifacts by cache key.
export { matchOutputs } from "./output-files.js";
export { packArtifact, unpackArtifact } from "./artifact.js";
export type { PackInput, Unpacked } from "./artifact.js";
export { LocalCache } from "./local-cache.js";
export type { CacheMeta, CleanOptions, CleanResult } from "./local-cache.js";
