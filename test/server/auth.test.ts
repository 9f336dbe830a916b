import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { exportJWK, SignJWT } from "jose";
import type { JWTPayload } from "jose";
import type { FastifyInstance } from "fastify";
import { systemClock } from "../../src/exec/index.js";
import { createServer } from "../../src/server/index.js";
import type { AuthOptions } from "../../src/server/index.js";
import { secret, serverFor, startService, token } from "./helpers.js";
import type { FakeService } from "./helpers.js";

const opened: { close(): Promise<unknown> }[] = [];
after(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

let upstream: FakeService | undefined;
async function services() {
  upstream ??= await startService(() => ({ body: "ok" }));
  if (!opened.includes(upstream)) opened.push(upstream);
  return {
    free: { url: upstream.url },
    pro: { url: upstream.url, tiers: ["pro"] },
  };
}

async function call(
  app: FastifyInstance,
  authorization?: string,
  body: object = { services: ["free"] },
) {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/orchestrate",
    headers: authorization === undefined ? {} : { authorization },
    payload: body,
  });
  return {
    status: response.statusCode,
    body: response.json<{ error?: { code: string } }>(),
    response,
  };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

describe("JWT auth with a pinned HS256 secret", () => {
  let app: FastifyInstance;
  before(async () => {
    app = await serverFor(await services());
    opened.push(app);
  });
  const codeOf = async (authorization?: string) => {
    const { status, body, response } = await call(app, authorization);
    assert.equal(status, 401, JSON.stringify(body));
    assert.equal(response.headers["www-authenticate"], 'Bearer error="invalid_token"');
    assert.doesNotMatch(response.body, /at |\.ts|node_modules/, "no stack or path");
    return body.error?.code;
  };

  it("accepts a valid token", async () => {
    const { status } = await call(app, `Bearer ${await token()}`);
    assert.equal(status, 200);
  });

  it("refuses each kind of bad token with its own code", async () => {
    const wrongKey = new TextEncoder().encode("another-secret-that-is-long-enough!!");
    const good = await token();
    const [header, payload, signature] = good.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as JWTPayload;
    const tampered = `${header}.${base64url({ ...claims, tier: "pro" })}.${signature}`;
    const none = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ iss: "https://auth.test", aud: "parex", exp: now() + 60 })}.`;
    const withoutExp = await new SignJWT({ iss: "https://auth.test", aud: "parex" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(secret));
    const cases: [string, string | undefined][] = [
      ["AUTH_MISSING_TOKEN", undefined],
      ["AUTH_MALFORMED_TOKEN", "Basic dXNlcjpwYXNz"],
      ["AUTH_MALFORMED_TOKEN", "Bearer not-a-jwt"],
      ["AUTH_ALGORITHM_NOT_ALLOWED", `Bearer ${none}`],
      ["AUTH_TOKEN_EXPIRED", `Bearer ${await token({ exp: now() - 60 })}`],
      ["AUTH_TOKEN_NOT_YET_VALID", `Bearer ${await token({ nbf: now() + 60 })}`],
      ["AUTH_WRONG_ISSUER", `Bearer ${await token({ iss: "https://evil.test" })}`],
      ["AUTH_WRONG_AUDIENCE", `Bearer ${await token({ aud: "someone-else" })}`],
      ["AUTH_BAD_SIGNATURE", `Bearer ${tampered}`],
      ["AUTH_BAD_SIGNATURE", `Bearer ${await token({}, wrongKey)}`],
      ["AUTH_MISSING_EXP", `Bearer ${withoutExp}`],
    ];
    for (const [code, authorization] of cases) {
      assert.equal(
        await codeOf(authorization),
        code,
        `${code} for ${authorization ?? "no header"}`,
      );
    }
  });

  it("tolerates a few seconds of clock skew, not more", async () => {
    assert.equal((await call(app, `Bearer ${await token({ exp: now() - 2 })}`)).status, 200);
    assert.equal(await codeOf(`Bearer ${await token({ exp: now() - 30 })}`), "AUTH_TOKEN_EXPIRED");
  });

  it("keeps services above the caller's tier out of reach", async () => {
    const free = await call(app, `Bearer ${await token({ tier: "free" })}`, {
      services: ["free", "pro"],
    });
    assert.equal(free.status, 403);
    assert.deepEqual(free.body, {
      error: {
        code: "TIER_FORBIDDEN",
        message: 'Service "pro" is open to tiers "pro", not to tier "free".',
      },
      requestId: free.response.headers["x-correlation-id"],
    });
    const untiered = await call(app, `Bearer ${await token()}`, { optionalServices: ["pro"] });
    assert.equal(untiered.body.error?.code, "TIER_FORBIDDEN");
    const pro = await call(app, `Bearer ${await token({ tier: "pro" })}`, {
      services: ["free", "pro"],
    });
    assert.equal(pro.status, 200);
  });

  it("leaves /health, /metrics and the docs open", async () => {
    for (const url of ["/health", "/metrics", "/docs/json"]) {
      assert.equal((await app.inject({ url })).statusCode, 200, url);
    }
    assert.equal((await app.inject({ url: "/api/v1/services" })).statusCode, 401);
  });

  it("guards the route that matched, however its URL was spelled", async () => {
    for (const url of ["/%61pi/v1/services", "/api/v1/services?x=1", "/api//v1/services"]) {
      const response = await app.inject({ url });
      assert.notEqual(response.statusCode, 200, url);
      assert.ok([401, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
    }
  });
});

describe("JWT auth with public keys", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const claims: JWTPayload = { iss: "https://auth.test", aud: "parex", exp: now() + 60 };

  async function serverWith(auth: AuthOptions): Promise<FastifyInstance> {
    const app = await createServer({
      services: await services(),
      auth,
      clock: systemClock,
      rateLimit: false,
    });
    opened.push(app);
    return app;
  }

  it("verifies RS256 with a PEM public key and refuses HS256 signed with that key (alg confusion)", async () => {
    const publicKeyPem = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();
    const app = await serverWith({
      algorithms: ["RS256"],
      key: { publicKeyPem },
      issuer: "https://auth.test",
      audience: "parex",
    });
    const good = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256" })
      .sign(rsa.privateKey);
    assert.equal((await call(app, `Bearer ${good}`)).status, 200);
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(publicKeyPem));
    assert.equal(
      (await call(app, `Bearer ${confused}`)).body.error?.code,
      "AUTH_ALGORITHM_NOT_ALLOWED",
    );
  });

  it("refuses to pin public-key algorithms to a secret, or HMAC to a public key", async () => {
    const secretKey = { secret: new TextEncoder().encode("s".repeat(32)) };
    await assert.rejects(serverWith({ algorithms: ["HS256", "RS256"], key: secretKey }), {
      name: "TypeError",
      message:
        'Expected `auth.algorithms` to hold only HS256/384/512 for a secret, got `["HS256","RS256"]`',
    });
    const publicKeyPem = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();
    await assert.rejects(serverWith({ algorithms: ["HS256"], key: { publicKeyPem } }), {
      message:
        'Expected `auth.algorithms` to hold only RS* or ES* for a public key, got `["HS256"]`',
    });
  });

  it("verifies ES256 against a JSON Web Key Set by key id", async () => {
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    const app = await serverWith({ algorithms: ["ES256"], key: { jwks: { keys: [jwk] } } });
    const good = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .sign(ec.privateKey);
    assert.equal((await call(app, `Bearer ${good}`)).status, 200);
    const unknown = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: "k2" })
      .sign(ec.privateKey);
    assert.equal((await call(app, `Bearer ${unknown}`)).body.error?.code, "AUTH_UNKNOWN_KEY");
  });
});
