import { createPublicKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { createLocalJWKSet, errors, jwtVerify } from "jose";
import type { JSONWebKeySet, JWTVerifyGetKey } from "jose";
import type { Clock } from "../core/index.js";
import { ApiError } from "./api-error.js";

/** Signature algorithms a server may pin: HMAC with a secret, or RSA / ECDSA with a public key. */
export type JwtAlgorithm =
  "HS256" | "HS384" | "HS512" | "RS256" | "RS384" | "RS512" | "ES256" | "ES384";

/** How bearer tokens are verified (resolved: the secret or key itself, not where it comes from). */
export interface AuthOptions {
  /** Pinned: a token signed with any other algorithm (`none` included) is refused. */
  readonly algorithms: readonly JwtAlgorithm[];
  /** The HMAC secret, or an RSA or ECDSA public key (PEM), or a JSON Web Key Set. */
  readonly key:
    | { readonly secret: Uint8Array }
    | { readonly publicKeyPem: string }
    | { readonly jwks: JSONWebKeySet };
  /** Required `iss`, when set. */
  readonly issuer?: string;
  /** Required `aud`, when set. */
  readonly audience?: string;
  /** Leeway for `exp` and `nbf`, in seconds. Default 5. */
  readonly clockToleranceSec?: number;
}

/** Who is calling, from a verified token. */
export interface Caller {
  readonly subject: string | undefined;
  /** The `tier` claim: which services the caller may use. */
  readonly tier: string | undefined;
}

/** Verifies an `Authorization` header; rejects with ApiError 401 and a stable code. */
export type Verifier = (authorization: string | undefined) => Promise<Caller>;

/** A verifier with the options' pinned algorithms, key, issuer and audience; `exp` is required. */
export function createVerifier(options: AuthOptions, clock: Clock): Verifier {
  checkFamily(options);
  const key = keyOf(options.key);
  return async (authorization) => {
    const token = bearerToken(authorization);
    try {
      const checks = {
        algorithms: [...options.algorithms],
        clockTolerance: options.clockToleranceSec ?? 5,
        currentDate: new Date(clock.now()),
        requiredClaims: ["exp"],
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
        ...(options.audience === undefined ? {} : { audience: options.audience }),
      };
      const { payload } =
        typeof key === "function"
          ? await jwtVerify(token, key, checks)
          : await jwtVerify(token, key, checks);
      const tier = payload["tier"];
      return { subject: payload.sub, tier: typeof tier === "string" ? tier : undefined };
    } catch (error) {
      throw rejection(error);
    }
  };
}

/** A secret verifies only HMAC, a public key only RSA/ECDSA: mixing them invites alg confusion. */
function checkFamily({ algorithms, key }: AuthOptions): void {
  const hmac = algorithms.filter((alg) => alg.startsWith("HS")).length;
  const secret = "secret" in key;
  if (algorithms.length === 0 || (secret ? hmac !== algorithms.length : hmac !== 0)) {
    const expected = secret ? "only HS256/384/512" : "only RS* or ES*";
    throw new TypeError(
      `Expected \`auth.algorithms\` to hold ${expected} for a ${secret ? "secret" : "public key"}, got \`${JSON.stringify(algorithms)}\``,
    );
  }
}

function keyOf(key: AuthOptions["key"]): Uint8Array | KeyObject | JWTVerifyGetKey {
  if ("secret" in key) return key.secret;
  if ("publicKeyPem" in key) return createPublicKey(key.publicKeyPem);
  return createLocalJWKSet(key.jwks);
}

function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization === "") {
    throw unauthorized("AUTH_MISSING_TOKEN", "No bearer token: send Authorization: Bearer <JWT>.");
  }
  const match = /^Bearer ([\w-]+\.[\w-]*\.[\w-]*)$/i.exec(authorization);
  if (match?.[1] === undefined) {
    throw unauthorized("AUTH_MALFORMED_TOKEN", "The Authorization header is not `Bearer <JWT>`.");
  }
  return match[1];
}

function unauthorized(code: string, message: string): ApiError {
  return new ApiError(401, code, message, { "www-authenticate": 'Bearer error="invalid_token"' });
}

const claimCodes: Readonly<Record<string, [string, string]>> = {
  nbf: ["AUTH_TOKEN_NOT_YET_VALID", "The token is not valid yet (nbf is in the future)."],
  iss: ["AUTH_WRONG_ISSUER", "The token was issued by an issuer this server does not accept."],
  aud: ["AUTH_WRONG_AUDIENCE", "The token is meant for another audience."],
  exp: ["AUTH_MISSING_EXP", "The token has no valid exp claim: tokens must expire."],
};

/** The 401 for a token jose refused: one stable code per kind of refusal. */
function rejection(error: unknown): ApiError {
  if (error instanceof errors.JWTExpired)
    return unauthorized("AUTH_TOKEN_EXPIRED", "The token has expired.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const [code, message] = claimCodes[error.claim] ?? [
      "AUTH_INVALID_CLAIMS",
      `The token's ${error.claim} claim is not acceptable.`,
    ];
    return unauthorized(code, message);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return unauthorized(
      "AUTH_ALGORITHM_NOT_ALLOWED",
      "The token is signed with an algorithm this server does not accept.",
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthorized("AUTH_BAD_SIGNATURE", "The token's signature does not verify.");
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthorized("AUTH_UNKNOWN_KEY", "No key of the server's key set matches the token.");
  }
  return unauthorized("AUTH_MALFORMED_TOKEN", "The token is not a well-formed signed JWT.");
}
