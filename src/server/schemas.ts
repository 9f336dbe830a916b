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
