import { createHmac, timingSafeEqual } from "node:crypto";

/** What an artifact's tag is made of, besides the artifact's bytes. */
export interface TagInput {
  /** The secret shared by everyone who may write the cache (`PAREX_REMOTE_CACHE_SIGNATURE_KEY`). */
  readonly secret: string;
  /** The cache key the artifact is stored under. */
  readonly key: string;
  /** The team id the entry belongs to (`team_…`), or "" when the team is a slug or not given. */
  readonly teamId: string;
}

/**
 * The `x-artifact-tag` of an artifact, by turbo's recipe (turborepo-cache's
 * signature_authentication): HMAC-SHA256 under the secret of the key's bytes, then the team
 * id's, then the artifact's, in standard base64 with padding. The key and team are in it so a
 * tagged artifact cannot be replayed under another key.
 */
export function artifactTag(input: TagInput, artifact: Uint8Array): string {
  return createHmac("sha256", input.secret)
    .update(input.key)
    .update(input.teamId)
    .update(artifact)
    .digest("base64");
}

/** Whether `tag` is the artifact's tag; a missing or malformed tag is not. */
export function tagMatches(input: TagInput, artifact: Uint8Array, tag: string | null): boolean {
  if (tag === null) return false;
  const expected = Buffer.from(artifactTag(input, artifact), "base64");
  const given = Buffer.from(tag.trim(), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
