// parex serve in front of the three services of upstreams.mjs (seed 003's orchestration).
// Computed, so the ports can move: UPSTREAM_PORT (default 4101).
const base = Number(process.env.UPSTREAM_PORT ?? 4101);
const at = (offset, path) => `http://127.0.0.1:${base + offset}${path}`;

export default {
  tasks: {
    lint: "node -e \"console.log('0 problems')\"",
    test: { run: "node -e \"console.log('12 tests passed')\"", dependsOn: ["lint"] },
  },
  server: {
    port: 3000,
    auth: { issuer: "https://auth.example", audience: "parex" },
    services: {
      users: { url: at(0, "/users/me"), timeoutMs: 1000 },
      orders: {
        url: at(1, "/orders"),
        method: "POST",
        dependsOn: ["users"],
        body: { user: "{{results.users.id}}", since: "{{input.since}}" },
        retry: { attempts: 2, initialDelayMs: 50 },
        tiers: ["pro"],
      },
      recommendations: {
        url: at(2, "/recommendations"),
        timeoutMs: 500,
        breaker: { failureThreshold: 3, resetAfterMs: 5000 },
        fallback: { value: [] },
      },
    },
    pipelines: { ci: ["test"] },
    rateLimit: { max: 600, timeWindowMs: 60000 },
  },
};
