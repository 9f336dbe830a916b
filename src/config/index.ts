// Config files: finding, reading and validating them into task specs.
export { defineConfig } from "./config.js";
export type {
  AlertsConfig,
  AuthConfig,
  CommandLine,
  GateConfig,
  ParexConfig,
  ServerConfig,
  TaskConfig,
} from "./config.js";
export { configNames, findConfig, readConfig } from "./load-config.js";
export type { ReadConfigOptions } from "./load-config.js";
export { validateConfig } from "./validate-config.js";
export { discoverWorkspaces, findWorkspaceRoot } from "./workspaces.js";
export type { PipelineEntry, WorkspacePackage } from "./workspaces.js";
export { workspaceTasks } from "./workspace-tasks.js";
export type { WorkspaceTasksOptions } from "./workspace-tasks.js";
export { detectPackageManager } from "./package-manager.js";
export type { PackageManager, PackageManagerName } from "./package-manager.js";
export type { LoadedConfig } from "./validate-config.js";
export { presentRuleFiles, readTaskRules, taskRuleFiles } from "./task-rules.js";
export type { TaskRules } from "./task-rules.js";
