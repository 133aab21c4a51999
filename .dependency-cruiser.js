/**
 * The import graph's rules, checked by `npm run lint` (dependency-cruiser): no import cycle
 * anywhere in the TypeScript sources, and nothing outside `tests/` imports from `tests/` (a tool
 * or a program that needs the mocks runner takes it from `tools/graph/`).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "no-cycle",
            severity: "error",
            comment: "A cycle hides which module owns a job: move the shared part into a module both import.",
            from: {},
            to: { circular: true },
        },
        {
            name: "no-import-from-tests",
            severity: "error",
            comment: "tests/ is for the tests alone: what a tool, a benchmark or the program needs lives outside it.",
            from: { pathNot: "^tests/" },
            to: { path: "^tests/" },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "(^|/)node_modules/" },
        tsConfig: { fileName: "tsconfig.json" },
        // Type-only imports count too: a cycle through types still ties the files together.
        tsPreCompilationDeps: true,
        enhancedResolveOptions: { extensions: [".ts", ".js"] },
    },
};
