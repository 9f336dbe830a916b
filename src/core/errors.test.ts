import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toErrorInfo } from "./errors.js";
import { thrownResult } from "./executor.js";

describe("toErrorInfo", () => {
  it("keeps an Error's name, message and string code", () => {
    const error = Object.assign(new RangeError("too far"), { code: "E_FAR" });
    assert.deepEqual(toErrorInfo(error), { name: "RangeError", message: "too far", code: "E_FAR" });
    assert.deepEqual(toErrorInfo(new DOMException("stop", "AbortError")), {
      name: "AbortError",
      message: "stop",
    });
  });

  it("keeps a thrown object's code and describes it as JSON when it has no message", () => {
    assert.deepEqual(toErrorInfo({ code: "E_RATE" }), {
      name: "Error",
      message: '{"code":"E_RATE"}',
      code: "E_RATE",
    });
    assert.deepEqual(toErrorInfo({ name: "HttpError", message: "503", status: 503 }), {
      name: "HttpError",
      message: "503",
    });
    assert.deepEqual(toErrorInfo("x"), { name: "Error", message: "x" });
    assert.deepEqual(toErrorInfo(undefined), { name: "Error", message: "undefined" });
  });

  it("never throws, whatever it is given", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    assert.deepEqual(toErrorInfo(cyclic), { name: "Error", message: "[object Object]" });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no");
        },
      },
    );
    assert.deepEqual(toErrorInfo(hostile), {
      name: "Error",
      message: "a thrown object that cannot be read",
    });
    const long = toErrorInfo({ body: "x".repeat(1_000) }).message;
    assert.equal(long.length, 200);
    assert.ok(long.endsWith("…"));
  });

  it("makes a thrown value a failed attempt that keeps the value itself", () => {
    const value = { code: "E_RATE" };
    const result = thrownResult(value);
    if (result.ok) assert.fail("expected a failure");
    assert.equal(result.thrown, value);
    assert.equal(result.reason, "error");
  });
});
