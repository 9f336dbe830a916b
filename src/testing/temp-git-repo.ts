import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A real git repository in a fresh temporary directory, driven by the real `git`. */
export interface TempGitRepo {
  /** The work tree's root (also where `.git` is). */
  readonly root: string;
  /** Runs `git <args>` in the root; returns its stdout. Throws when git fails. */
  git(...args: string[]): string;
  /** Writes `content` to `relPath` under the root, creating the directories on the way. */
  write(relPath: string, content: string | Uint8Array): string;
  /** Stages everything and commits it. */
  commitAll(message?: string): void;
  /** Removes the directory. */
  remove(): void;
}

/**
 * Creates a temporary directory, and `git init`s it unless `init` is false (then it is a plain
 * directory with the same helpers, for code that must do without git). Commits need no
 * configured identity, and hooks or variables of an enclosing git process cannot redirect git.
 */
export function tempGitRepo(options: { init?: boolean } = {}): TempGitRepo {
  const root = mkdtempSync(join(tmpdir(), "parex-git-"));
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: root, env: gitTestEnv(), encoding: "utf8" });
  if (options.init ?? true) git("init", "-q", "-b", "main");
  return {
    root,
    git,
    write(relPath, content) {
      const path = join(root, relPath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    commitAll(message = "commit") {
      git("add", "-A");
      git(
        ...["-c", "user.email=t@t", "-c", "user.name=t", "-c", "commit.gpgsign=false"],
        ...["commit", "-q", "--no-verify", "-m", message],
      );
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Temporary repositories made for one test file, removed together (call `removeAll` in `after`). */
export interface TempRepos {
  /** A new repository (or plain directory, `init: false`) holding `files` (path → content). */
  readonly with: (files: Record<string, string>, options?: { init?: boolean }) => TempGitRepo;
  readonly removeAll: () => void;
}

/** A maker of temporary repositories that keeps them for one `removeAll`. */
export function tempRepos(): TempRepos {
  const made: TempGitRepo[] = [];
  return {
    with: (files, options = {}) => {
      const repo = tempGitRepo(options);
      made.push(repo);
      for (const [path, content] of Object.entries(files)) repo.write(path, content);
      return repo;
    },
    removeAll: () => {
      for (const repo of made.splice(0)) repo.remove();
    },
  };
}

function gitTestEnv(): NodeJS.ProcessEnv {
  const redirecting = new Set(["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !redirecting.has(name)));
}
