import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph } from "../core/index.js";
import { renderGraph } from "./graph-formats.js";

// Ids a config may hold that break a naive rendering: a line break, quotes, the flowchart's
// brackets and pipes, entity and markdown marks, HTML, a backslash before a quote.
const hostile = [
  "two\nlines",
  'say "hi"',
  "x[y]{z}(w)",
  "a|b;c",
  "#1 &amp; <b>`md`</b>",
  'back\\"slash',
];
const graph = buildGraph(
  hostile.map((id, i) => ({ id, run: 0, dependsOn: i === 0 ? [] : [hostile[i - 1] ?? ""] })),
);

describe("graph formats", () => {
  it("writes every mermaid node on one line, its id in a quoted label with entities", () => {
    const text = renderGraph(graph, "mermaid", [hostile[0] ?? "", hostile[1] ?? ""]);
    assert.equal(
      text,
      [
        "flowchart LR",
        '  n0["two#10;lines"]',
        '  n1["say #34;hi#34;"]',
        '  n2["x#91;y#93;#123;z#125;#40;w#41;"]',
        '  n3["a#124;b#59;c"]',
        '  n4["#35;1 #38;amp#59; #60;b#62;#96;md#96;#60;/b#62;"]',
        '  n5["back#92;#34;slash"]',
        "  n0 ==> n1",
        "  n1 --> n2",
        "  n2 --> n3",
        "  n3 --> n4",
        "  n4 --> n5",
        "  classDef critical stroke:#d9480f,stroke-width:3px",
        "  class n0,n1 critical",
      ].join("\n"),
    );
  });

  it("quotes DOT ids so that each stays one distinct node, drawn as it is", () => {
    const lines = renderGraph(graph, "dot").split("\n");
    assert.deepEqual(lines.slice(2, 8), [
      '  "two\\nlines";',
      '  "say \\"hi\\"";',
      '  "x[y]{z}(w)";',
      '  "a|b;c";',
      '  "#1 &amp;amp; <b>`md`</b>";',
      '  "back\\\\\\"slash";',
    ]);
    assert.equal(lines[8], '  "two\\nlines" -> "say \\"hi\\"";');
  });
});
