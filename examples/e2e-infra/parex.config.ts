/**
 * Seed 002's end-to-end infrastructure, brought up for real on this machine:
 *   1. a cluster: a fresh PostgreSQL data directory (initdb) in a temporary directory;
 *   2. in parallel: PostgreSQL and Redis as persistent services on free ports, each with a
 *      readiness probe, and an "image build" (a stand-in: there is no container engine here);
 *   3. the migration, applied with psql once PostgreSQL accepts connections;
 *   4. "deploy" (a stand-in) once the migration, Redis and the image are there;
 *   5. health checks against both servers.
 * parex stops both servers when the run ends, and the temporary directory is removed.
 * Where the server binaries are missing, the run is one task that says so.
 *
 *   node bin/parex.js run -c examples/e2e-infra/parex.config.ts
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "../../src/index.js";
import { freePort } from "../free-port.js";

const postgresBin = ["/usr/lib/postgresql"]
  .filter(existsSync)
  .flatMap((root) => readdirSync(root).map((version) => join(root, version, "bin")))
  .find((bin) => existsSync(join(bin, "initdb")));
const which = (tool: string): boolean => {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

export default defineConfig(async () => {
  const missing = [
    postgresBin ? "" : "PostgreSQL (initdb, postgres)",
    which("redis-server") ? "" : "redis-server",
    which("psql") ? "" : "psql",
  ].filter(Boolean);
  if (missing.length > 0) {
    return {
      tasks: { skipped: { run: `echo "e2e-infra skipped: ${missing.join(", ")} not installed"` } },
    };
  }
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), "parex-e2e-infra-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  // PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
  const asPostgres = process.getuid?.() === 0 ? "runuser -u postgres -- " : "";
  if (asPostgres !== "") {
    const [uid, gid] = ["-u", "-g"].map((flag) =>
      Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" })),
    );
    chownSync(dir, uid ?? 0, gid ?? 0);
  }
  const psql = `psql -h 127.0.0.1 -p ${pgPort} -U postgres -v ON_ERROR_STOP=1 -X -q`;
  return {
    concurrency: 4,
    killGraceMs: 3_000,
    tasks: {
      cluster: {
        run: `${asPostgres}${postgresBin}/initdb -D ${dir}/pg -U postgres -A trust --no-sync -E UTF8`,
        group: "cluster",
      },
      postgres: {
        run: `${asPostgres}${postgresBin}/postgres -D ${dir}/pg -p ${pgPort} -h 127.0.0.1 -k ${dir} -c fsync=off`,
        dependsOn: ["cluster"],
        persistent: true,
        ready: { port: pgPort, timeoutMs: 30_000 },
        group: "services",
      },
      redis: {
        run: [
          "redis-server",
          "--port",
          String(redisPort),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no",
        ],
        dependsOn: ["cluster"],
        persistent: true,
        ready: { log: "Ready to accept connections", timeoutMs: 30_000 },
        group: "services",
      },
      image: {
        run: "sleep 0.5 && echo 'image app:e2e built (stand-in)'",
        dependsOn: ["cluster"],
        group: "build",
      },
      migrate: {
        run: `${psql} -c "create table orders (id serial primary key, total numeric not null); insert into orders (total) values (12.5), (30);"`,
        dependsOn: ["postgres"],
        retry: { attempts: 3, initialDelayMs: 200 },
        group: "migrate",
      },
      deploy: {
        run: "sleep 0.3 && echo 'app deployed (stand-in)'",
        dependsOn: ["migrate", "redis", "image"],
        group: "deploy",
      },
      "health-postgres": {
        run: `${psql} -t -c "select 'orders: ' || count(*) from orders"`,
        dependsOn: ["deploy"],
        group: "health",
      },
      "health-redis": {
        run: `redis-cli -p ${redisPort} ping`,
        dependsOn: ["deploy"],
        group: "health",
      },
    },
  };
});
