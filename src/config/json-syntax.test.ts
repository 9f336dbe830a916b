import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { findJsonError } from "./json-syntax.js";

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Texts near JSON: fragments of it, glued in any order, with the usual mistakes among them. */
const nearJson = fc
  .array(
    fc.constantFrom(
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      " ",
      "\n",
      '"a"',
      '"b\\n"',
      '"\\u00e9"',
      '"\\x"',
      '"',
      "'a'",
      "0",
      "-1.5e3",
      "01",
      "1.",
      "-",
      "true",
      "nul",
      "null",
      "x",
      "//",
      "\t",
      "\u0001",
      "\\",
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(""));

describe("findJsonError", () => {
  it("finds an error exactly when JSON.parse refuses the text", () => {
    fc.assert(
      fc.property(nearJson, (text) => (findJsonError(text) === undefined) === parses(text)),
      { numRuns: 20_000 },
    );
  });

  it("finds nothing wrong in JSON, whatever it holds", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : 0);
        return findJsonError(text) === undefined;
      }),
    );
  });

  it("says where and why for the mistakes people make", () => {
    const cases: [string, number, string][] = [
      ['{"tasks": {"a": "x",}}', 19, "Trailing comma before '}': remove it"],
      ['["a", "b",]', 9, "Trailing comma before ']': remove it"],
      [
        '{"a": x}',
        6,
        `Unexpected 'x': a value is a "string", a number, true, false, null, an object or an array`,
      ],
      ["{'a': 1}", 1, "Expected a double-quoted property name, got '''"],
      ["{\"a\": 'b'}", 6, "Strings need double quotes in JSON"],
      ['{"a" 1}', 5, "Expected ':' after the property name, got '1'"],
      ['{"a": 1 "b": 2}', 8, "Expected ',' or '}' after the property value, got '\"'"],
      ['{"a": [1 2]}', 9, "Expected ',' or ']' after the array element, got '2'"],
      ['{"a": 1}}', 8, "Unexpected '}' after the JSON value"],
      ['{"a": 1', 7, "Expected ',' or '}' after the property value, got the end of the file"],
      ['{"a": "b', 6, "Unterminated string: it has no closing '\"'"],
      ['{"a": "b\n"}', 8, `A string cannot hold a line break: close it with '"', or write \\n`],
      ['{"a": "b\tc"}', 8, "Bad control character U+0009 in a string: escape it"],
      ['{"a": "\\q"}', 7, "Bad escape '\\q' in a string"],
      ['{"a": 1} // done', 9, "Comments are not allowed in JSON"],
      [
        "\ufeff{}",
        0,
        'Unexpected U+FEFF: a value is a "string", a number, true, false, null, an object or an array',
      ],
      ["", 0, "Unexpected end of the file: a value is missing"],
    ];
    for (const [text, offset, message] of cases) {
      assert.deepEqual(findJsonError(text), { offset, message }, text);
    }
  });

  it("reads any depth of nesting without running out of stack", () => {
    const deep = "[".repeat(200_000) + "]".repeat(199_999);
    assert.deepEqual(findJsonError(deep), {
      offset: 399_999,
      message: "Expected ',' or ']' after the array element, got the end of the file",
    });
  });
});
