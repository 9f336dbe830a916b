import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { artifactTag, tagMatches } from "./artifact-tag.js";

// One of turbo's own test inputs (turborepo-cache's signature_authentication tests); the tag
// was computed apart from this code, with OpenSSL:
//   printf 'd5b7e4688ftH7sL1Rn9K\x05\x48\xdb\x27\x9c' \
//     | openssl dgst -sha256 -hmac x3vq8mFz0J -binary | base64
const turboCase = { secret: "x3vq8mFz0J", key: "d5b7e4688f", teamId: "tH7sL1Rn9K" };
const turboBody = Buffer.from([5, 72, 219, 39, 156]);
const turboTag = "ki5kbVnrrPqbWiWxMWbW3OE6Q6SXmbqEpfGvEFQWbZw=";

describe("artifactTag", () => {
  it("is the HMAC-SHA256 of key, team id and artifact under the secret, in base64, as turbo makes it", () => {
    assert.equal(artifactTag(turboCase, turboBody), turboTag);
  });

  it("changes with the secret, the key, the team id and every byte of the artifact", () => {
    const tags = new Set([
      artifactTag(turboCase, turboBody),
      artifactTag({ ...turboCase, secret: "other" }, turboBody),
      artifactTag({ ...turboCase, key: "d5b7e4688e" }, turboBody),
      artifactTag({ ...turboCase, teamId: "" }, turboBody),
      artifactTag(turboCase, Buffer.from([5, 72, 219, 39, 157])),
    ]);
    assert.equal(tags.size, 5);
  });
});

describe("tagMatches", () => {
  it("accepts the artifact's own tag", () => {
    assert.equal(tagMatches(turboCase, turboBody, turboTag), true);
  });

  it("refuses a missing tag, another artifact's tag, and text that is not a tag", () => {
    assert.equal(tagMatches(turboCase, turboBody, null), false);
    assert.equal(tagMatches(turboCase, Buffer.from("tampered"), turboTag), false);
    assert.equal(tagMatches(turboCase, turboBody, "not a tag"), false);
    assert.equal(tagMatches(turboCase, turboBody, ""), false);
  });
});
