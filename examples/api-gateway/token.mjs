// Prints a JWT for the example server: HS256 with PAREX_JWT_SECRET, valid for an hour.
// Usage: node token.mjs [tier]
import { createSecretKey } from "node:crypto";
import { SignJWT } from "jose";

const secret = process.env.PAREX_JWT_SECRET;
if (secret === undefined) throw new Error("Set PAREX_JWT_SECRET first.");
const token = await new SignJWT({ tier: process.argv[2] ?? "pro", sub: "example" })
  .setProtectedHeader({ alg: "HS256" })
  .setIssuer("https://auth.example")
  .setAudience("parex")
  .setExpirationTime("1h")
  .sign(createSecretKey(secret, "utf8"));
console.log(token);
