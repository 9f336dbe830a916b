/** The schema of every error answer: `{ error: { code, message }, requestId }`. */
export const errorBodySchema = {
  type: "object",
  required: ["error", "requestId"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
    requestId: { type: "string" },
  },
} as const;

/** The error answers every /api route may give, for the OpenAPI document. */
export const apiErrors = {
  401: errorBodySchema,
  429: errorBodySchema,
  500: errorBodySchema,
  503: errorBodySchema,
} as const;
