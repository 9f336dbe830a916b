import { isNonNegative, isRecord, unknownKeys } from "./config-checks.js";
import type { Expect, Fail } from "./config-checks.js";

const secretAlgorithms = ["HS256", "HS384", "HS512"];
const keyAlgorithms = ["RS256", "RS384", "RS512", "ES256", "ES384"];
const authFields = [
  "algorithms",
  "secretEnv",
  "publicKey",
  "publicKeyFile",
  "jwksFile",
  "issuer",
  "audience",
  "clockToleranceSec",
];

/**
 * `server.auth`: pinned algorithms of one family (an HMAC secret from the environment, or one
 * public key, key file or JWKS file), and optional issuer, audience and clock tolerance.
 */
export function checkAuth(auth: unknown, fail: Fail, expect: Expect): void {
  expect("server.auth", isRecord(auth), "an object", auth);
  const a = auth as Record<string, unknown>;
  unknownKeys(a, authFields, "server.auth", fail);
  const algorithms = a["algorithms"] ?? ["HS256"];
  const all = [...secretAlgorithms, ...keyAlgorithms];
  expect(
    "server.auth.algorithms",
    Array.isArray(algorithms) &&
      algorithms.length > 0 &&
      algorithms.every((x) => all.includes(String(x))),
    `a list of ${all.join(", ")}`,
    algorithms,
  );
  const list = algorithms as string[];
  const hmac = list.filter((x) => secretAlgorithms.includes(x)).length;
  if (hmac > 0 && hmac < list.length) {
    fail(
      "server.auth.algorithms",
      "Invalid server.auth.algorithms @: HMAC (HS*) and public-key algorithms cannot be mixed: a public key would then verify as an HMAC secret. Pin one family.",
    );
  }
  const keys = ["publicKey", "publicKeyFile", "jwksFile"].filter((k) => a[k] !== undefined);
  if (hmac > 0 && keys.length > 0)
    fail(
      `server.auth.${keys[0] ?? ""}`,
      `Invalid server.auth @: ${list.join(", ")} verify with the secret named by secretEnv; remove ${keys.join(", ")}.`,
    );
  if (hmac === 0 && keys.length !== 1)
    fail(
      "server.auth",
      `Invalid server.auth @: ${list.join(", ")} need exactly one of publicKey (PEM), publicKeyFile or jwksFile.`,
    );
  if (hmac === 0 && a["secretEnv"] !== undefined)
    fail(
      "server.auth.secretEnv",
      "Invalid server.auth.secretEnv @: only HS* algorithms use a secret. Remove it.",
    );
  if (a["secretEnv"] !== undefined)
    expect(
      "server.auth.secretEnv",
      typeof a["secretEnv"] === "string" && /^[A-Za-z_]\w*$/.test(a["secretEnv"]),
      "an environment variable name",
      a["secretEnv"],
    );
  for (const key of ["publicKey", "publicKeyFile", "jwksFile", "issuer", "audience"]) {
    if (a[key] !== undefined)
      expect(
        `server.auth.${key}`,
        typeof a[key] === "string" && a[key] !== "",
        "a non-empty string",
        a[key],
      );
  }
  const tolerance = a["clockToleranceSec"];
  if (tolerance !== undefined)
    expect(
      "server.auth.clockToleranceSec",
      isNonNegative(tolerance) && (tolerance as number) <= 300,
      "a number of seconds from 0 to 300",
      tolerance,
    );
}
