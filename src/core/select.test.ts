import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selectTasks } from "./select.js";
import type { TaskSpec } from "./task-spec.js";

const specs = (...ids: string[]): TaskSpec[] => ids.map((id) => ({ id, run: id }));

describe("selectTasks", () => {
  it("suggests the closest task for a typo", () => {
    assert.throws(() => selectTasks(specs("build", "test"), ["biuld"]), {
      code: "UNKNOWN_TASK",
      message: 'Unknown task "biuld". Did you mean "build"?',
    });
  });

  it("lists the tasks when none is close, and says how many more there are past 20", () => {
    assert.throws(() => selectTasks(specs("build", "test"), ["deploy"]), {
      message: 'Unknown task "deploy". Known tasks: build, test.',
    });
    const many = Array.from({ length: 23 }, (_, i) => `task${i}`);
    assert.throws(() => selectTasks(specs(...many), ["deploy"]), {
      message: `Unknown task "deploy". Known tasks: ${many.slice(0, 20).join(", ")}, … (3 more).`,
    });
  });

  it("says there are no tasks rather than listing none", () => {
    assert.throws(() => selectTasks([], ["build"]), {
      message: 'Unknown task "build". There are no tasks.',
    });
  });
});
