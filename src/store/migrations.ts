/**
 * The history schema, one migration per version; `PRAGMA user_version` says which have run.
 * Migrations keep every row: a database written by an older parex opens in a newer one.
 */
export const migrations: readonly string[] = [
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     config TEXT NOT NULL,
     started_at REAL NOT NULL,
     finished_at REAL,
     status TEXT NOT NULL,
     strategy TEXT NOT NULL,
     concurrency INTEGER NOT NULL,
     tasks INTEGER NOT NULL,
     summary TEXT
   );
   CREATE INDEX runs_by_config ON runs (config, started_at);
   CREATE TABLE attempts (
     run_id TEXT NOT NULL REFERENCES runs (id),
     task_id TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     slot INTEGER,
     started_at REAL NOT NULL,
     finished_at REAL,
     status TEXT NOT NULL,
     reason TEXT,
     PRIMARY KEY (run_id, task_id, attempt)
   );
   CREATE TABLE tasks (
     run_id TEXT NOT NULL REFERENCES runs (id),
     task_id TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     attempts INTEGER NOT NULL,
     duration_ms REAL,
     exit_code INTEGER,
     signal TEXT,
     group_name TEXT,
     fallback_used INTEGER NOT NULL,
     cpu_ms REAL,
     peak_rss_bytes INTEGER,
     PRIMARY KEY (run_id, task_id)
   );
   CREATE TABLE durations (
     config TEXT NOT NULL,
     task_id TEXT NOT NULL,
     estimate_ms REAL NOT NULL,
     samples INTEGER NOT NULL,
     PRIMARY KEY (config, task_id)
   );`,
  // v2: the process group of each attempt, so that a resumed run can stop what a crashed one left.
  `ALTER TABLE attempts ADD COLUMN pid INTEGER;`,
  // v3: attempts and tasks keyed by their primary key alone (WITHOUT ROWID): one b-tree each
  // instead of a table and an index holding the same keys, half the pages a batch writes.
  `CREATE TABLE attempts_v3 (
     run_id TEXT NOT NULL REFERENCES runs (id),
     task_id TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     slot INTEGER,
     started_at REAL NOT NULL,
     finished_at REAL,
     status TEXT NOT NULL,
     reason TEXT,
     pid INTEGER,
     PRIMARY KEY (run_id, task_id, attempt)
   ) WITHOUT ROWID;
   INSERT INTO attempts_v3 (run_id, task_id, attempt, slot, started_at, finished_at, status, reason, pid)
     SELECT run_id, task_id, attempt, slot, started_at, finished_at, status, reason, pid FROM attempts;
   DROP TABLE attempts;
   ALTER TABLE attempts_v3 RENAME TO attempts;
   CREATE TABLE tasks_v3 (
     run_id TEXT NOT NULL REFERENCES runs (id),
     task_id TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     attempts INTEGER NOT NULL,
     duration_ms REAL,
     exit_code INTEGER,
     signal TEXT,
     group_name TEXT,
     fallback_used INTEGER NOT NULL,
     cpu_ms REAL,
     peak_rss_bytes INTEGER,
     PRIMARY KEY (run_id, task_id)
   ) WITHOUT ROWID;
   INSERT INTO tasks_v3 SELECT * FROM tasks;
   DROP TABLE tasks;
   ALTER TABLE tasks_v3 RENAME TO tasks;`,
  // v4: summaries deflated, beside the text ones of older versions (which read only `summary`).
  `ALTER TABLE runs ADD COLUMN summary_deflated BLOB;`,
  // v5: who records a run (a run whose recorder died is marked interrupted, not left running),
  // the run that resumed it, and the runs not finished, found without scanning every run.
  `ALTER TABLE runs ADD COLUMN runner_pid INTEGER;
   ALTER TABLE runs ADD COLUMN runner_since REAL;
   ALTER TABLE runs ADD COLUMN resumed_by TEXT;
   CREATE INDEX runs_unfinished ON runs (id) WHERE finished_at IS NULL;`,
  // v6: how the task cache treated each task: 'hit' (restored, not run), 'miss' (run), 'off'
  // (not cached); NULL when unknown (a run without the cache, or recorded before v6). Learned
  // durations leave hits out: a restore takes milliseconds and says nothing of the task.
  `ALTER TABLE tasks ADD COLUMN cache TEXT;`,
  // v7: the run's task graph (JSON: GraphOutline in src/core/graph-outline.ts), written as it
  // starts, for the dashboard; NULL for runs recorded before v7.
  `ALTER TABLE runs ADD COLUMN graph TEXT;`,
  // v8: how much each task's duration varies from run to run: an exponentially weighted
  // variance of the logarithm of its durations (against its estimate, scaled so that steady
  // noise of σ learns σ²), updated with it. It starts at 0.04 (σ 0.2, about ±20 %).
  `ALTER TABLE durations ADD COLUMN log_var REAL NOT NULL DEFAULT 0.04;`,
];
