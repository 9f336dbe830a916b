import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { tempRepos } from "../testing/index.js";
import { runGit, runGitBatch } from "./run-git.js";

const repos = tempRepos();
after(() => repos.removeAll());

describe("git commands from one process", () => {
  it("gives each command's output as git alone gives it, a failed one undefined", async () => {
    const repo = repos.with({ "a.txt": "a\n", "it's here.txt": "quoted\n", "new.txt": "n\n" });
    repo.git("add", "a.txt", "it's here.txt");
    repo.commitAll();
    repo.write("untracked $HOME `x`.txt", "u\n");
    const commands = [
      ["ls-files", "--stage", "-z", "--", "."],
      ["ls-files", "--others", "--exclude-standard", "-z", "--", "."],
      ["rev-parse", "--verify", "no-such-ref"],
      ["ls-files", "-z", "--", "it's here.txt"],
    ];
    const alone = await Promise.all(commands.map((args) => runGit(args, repo.root)));
    const batch = await runGitBatch(commands, repo.root);
    assert.deepEqual(batch, alone);
    assert.equal(batch[2], undefined);
    assert.equal(batch[3]?.toString(), "it's here.txt\0");
  });

  it("gives every command undefined where git cannot run", async () => {
    const plain = repos.with({ "a.txt": "a\n" }, { init: false });
    const batch = await runGitBatch([["rev-parse", "--show-toplevel"], ["ls-files"]], plain.root);
    assert.deepEqual(batch, [undefined, undefined]);
  });
});
