/**
 * The `kafka-env` package's public entry: what `require("kafka-env")` and `import ... from
 * "kafka-env"` give a program of your own. It compiles to `dist/api.js` with its declarations
 * (`npm run build`); the repository's own Pulumi program is `index.ts`, which deploys when it runs.
 *
 * For now this is the planning step and the building blocks as they are; the `KafkaEnvironment`
 * component (issue 24) becomes the main export.
 */
export { planEnvironment } from "./components/plan";
export type { EnvironmentInput, EnvironmentPlan } from "./components/plan";
export { ConfigError } from "./components/model";
export type { ClusterModel, Problem } from "./components/model";
export type { ClusterOutputs } from "./components/outputs";
