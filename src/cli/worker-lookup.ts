import { ParexError } from "../core/index.js";
import type { TaskJob, TaskLookup } from "../distributed/index.js";
import { loadProject } from "./project.js";
import type { Project } from "./project.js";

/**
 * How a worker finds a job's task: in its config (`-c FILE`, or the one found from `cwd`), or,
 * for a run of workspace packages, in the package the task id names, as `parex run` would
 * build it. Each graph is read once, and again when asked for `fresh`.
 */
export function projectLookup(configFile: string | undefined, cwd: string): TaskLookup {
  const projects = new Map<string, Promise<Project>>();
  const load = (key: string, tasks: string[], workspaces: boolean, fresh: boolean) => {
    let project = fresh ? undefined : projects.get(key);
    if (project === undefined) {
      project = loadProject({ configFile, cwd, tasks, workspaces });
      projects.set(key, project);
      project.catch(() => projects.delete(key));
    }
    return project;
  };
  return async (job: TaskJob, fresh: boolean) => {
    const unknown = `this worker's ${job.workspaces ? "workspaces have" : "config has"} no task "${job.taskId}"`;
    try {
      // In a workspace run, `pkg#script` is built by asking for the script in every package. A
      // config's tasks are read all at once (none named is all of them); should that fail (a
      // cycle among tasks a run never names), as `parex run TASK` reads them: the task alone.
      const script = job.taskId.slice(job.taskId.lastIndexOf("#") + 1);
      const { graph, config } = job.workspaces
        ? await load(`workspaces\0${script}`, [script], true, fresh)
        : await load("config", [], false, fresh).catch(() =>
            load(`config\0${job.taskId}`, [job.taskId], false, fresh),
          );
      const index = graph.indexOf.get(job.taskId);
      const task = index === undefined ? undefined : graph.tasks[index];
      if (task === undefined) return unknown;
      const fallback =
        task.fallback !== undefined && "run" in task.fallback ? [task.fallback.run] : [];
      return { commands: [task.run, ...fallback], projectDir: config.dir };
    } catch (error) {
      if (error instanceof ParexError && error.code === "UNKNOWN_TASK") return unknown;
      const why = error instanceof ParexError ? error.message : String(error);
      return `this worker cannot read its tasks: ${why}`;
    }
  };
}
