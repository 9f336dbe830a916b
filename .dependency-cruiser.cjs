/**
 * Layer rules (docs/conventions.md): core imports nothing; siblings import core, not each
 * other (so the dashboard imports core and nothing else of src/); only cli wires things
 * together; nothing imports cli; a folder is entered through its index.ts.
 */
const siblings = [
  "exec",
  "config",
  "store",
  "report",
  "server",
  "dashboard",
  "distributed",
  "library",
  "cache",
];

module.exports = {
  forbidden: [
    {
      name: "core-imports-nothing",
      comment:
        "core runs anywhere (Node, a worker, the browser): no node: modules, no packages, no sibling folders",
      severity: "error",
      from: { path: "^src/core/", pathNot: "\\.test\\.ts$" },
      to: { pathNot: "^src/core/" },
    },
    {
      name: "core-tests-use-only-core-and-fakes",
      severity: "error",
      from: { path: "^src/core/.*\\.test\\.ts$" },
      to: { path: "^src/", pathNot: "^src/(core|testing)/" },
    },
    ...siblings.map((name) => ({
      name: `${name}-does-not-import-siblings`,
      comment: "siblings talk through core; cli (or the library entry) wires them",
      severity: "error",
      from: { path: `^src/${name}/` },
      to: {
        path: "^src/[^/]+/",
        pathNot: [
          `^src/${name}/`,
          "^src/core/",
          ...(name === "library" ? ["^src/exec/"] : []),
          "^src/testing/",
        ],
      },
    })),
    {
      name: "dashboard-runs-in-the-browser",
      comment:
        "the dashboard is bundled for the browser: no node: modules (its tests and its Vite config run in Node)",
      severity: "error",
      from: {
        path: "^src/dashboard/",
        pathNot: ["\\.test\\.ts$", "^src/dashboard/vite\\.config\\.ts$"],
      },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "nothing-imports-cli",
      severity: "error",
      from: { pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "enter-folders-through-index",
      comment: "import another folder through its index.ts",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: { path: "^src/([^/]+)/.+", pathNot: ["^src/$1/", "^src/[^/]+/index\\.ts$"] },
    },
    {
      name: "testing-only-in-tests",
      comment: "fakes are for tests",
      severity: "error",
      from: { path: "^src/", pathNot: ["\\.test\\.ts$", "^src/testing/"] },
      to: { path: "^src/testing/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "node", "default"],
    },
  },
};
