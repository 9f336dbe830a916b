import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { AuthConfig } from "../config/index.js";
import type { AuthOptions, JwtAlgorithm } from "../server/index.js";
import { UsageError } from "./args.js";

/** The smallest HMAC secret accepted, in bytes: HS256's own output size. */
const minSecretBytes = 32;

/**
 * Resolves `server.auth` into what the server verifies with: the HMAC secret from the
 * environment, or the public key or key set read from its file (relative to the config).
 */
export function resolveAuth(
  auth: AuthConfig | undefined,
  context: { readonly env: Readonly<Record<string, string | undefined>>; readonly dir: string },
): AuthOptions {
  const algorithms = (auth?.algorithms ?? ["HS256"]) as readonly JwtAlgorithm[];
  const claims = {
    ...(auth?.issuer === undefined ? {} : { issuer: auth.issuer }),
    ...(auth?.audience === undefined ? {} : { audience: auth.audience }),
    ...(auth?.clockToleranceSec === undefined ? {} : { clockToleranceSec: auth.clockToleranceSec }),
  };
  if (auth?.publicKey !== undefined) {
    return { algorithms, key: { publicKeyPem: pem(auth.publicKey, "publicKey") }, ...claims };
  }
  if (auth?.publicKeyFile !== undefined) {
    const text = readKeyFile(auth.publicKeyFile, context.dir);
    return { algorithms, key: { publicKeyPem: pem(text, auth.publicKeyFile) }, ...claims };
  }
  if (auth?.jwksFile !== undefined) {
    const text = readKeyFile(auth.jwksFile, context.dir);
    try {
      return { algorithms, key: { jwks: JSON.parse(text) as { keys: [] } }, ...claims };
    } catch {
      throw new UsageError(
        `parex serve: ${auth.jwksFile} (server.auth.jwksFile) is not JSON. Give a JSON Web Key Set: { "keys": [...] }.`,
      );
    }
  }
  const name = auth?.secretEnv ?? "PAREX_JWT_SECRET";
  const secret = context.env[name];
  if (secret === undefined || Buffer.byteLength(secret) < minSecretBytes) {
    throw new UsageError(
      `parex serve: ${secret === undefined ? "no" : "too short a"} JWT secret: set the environment variable ${name} (server.auth.secretEnv) to a random string of at least ${minSecretBytes} characters.`,
    );
  }
  return { algorithms, key: { secret: new TextEncoder().encode(secret) }, ...claims };
}

/** The text, when it is a PEM public key (an RSA or EC key, SPKI or PKCS#1). */
function pem(text: string, where: string): string {
  try {
    createPublicKey(text);
    return text;
  } catch {
    throw new UsageError(
      `parex serve: ${where} (server.auth) is not a PEM public key. Give the "-----BEGIN PUBLIC KEY-----" text of an RSA or EC key.`,
    );
  }
}

function readKeyFile(file: string, dir: string): string {
  try {
    return readFileSync(resolve(dir, file), "utf8");
  } catch (error) {
    throw new UsageError(
      `parex serve: cannot read ${file} (server.auth): ${(error as NodeJS.ErrnoException).code ?? "error"}. Check the path; it is relative to the config file.`,
    );
  }
}
