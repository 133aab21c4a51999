/**
 * The pure centre of kafka-env: raw config in, a validated plain-data cluster model out.
 *
 *   checkShape (unknown keys, types) -> resolve (defaults, once) -> validate (semantics) -> buildModel
 *
 * Every problem from the first and third steps is collected and thrown once, as a `ConfigError`,
 * before any resource is registered.
 */
import { ClusterConfig } from "./config";
import { buildModel } from "./cluster";
import { ConfigError, Problem } from "./problems";
import { ResolvedConfig, resolve } from "./resolve";
import { CLUSTER_SHAPE, checkShape } from "./shape";
import { Addressing, ClusterModel } from "./types";
import { validate } from "./validate";
import { NO_SECURITY_SECRETS, SecuritySecrets, validateSecurity } from "./validateSecurity";

export * from "./config";
export * from "./problems";
export * from "./types";
export { ResolvedAcl, ResolvedConfig, ResolvedSecurity, ResolvedTopic, ResolvedUser, resolve, stableClusterId } from "./resolve";
export { SecuritySecrets } from "./validateSecurity";
export { bootstrapSubset, buildModel } from "./cluster";

export interface ModelInput {
    /** The raw value of `kafka-env:cluster` (undefined when unset: every default applies). */
    readonly cluster: unknown;
    /** The Pulumi stack name. */
    readonly stack: string;
    /** Whether the secret `kafka-env:kafkaUiPassword` is set. */
    readonly hasKafkaUiPassword: boolean;
    /** Which security secrets are set (`kafka-env:userPasswords`, `caCertificate`, `caKey`). Default: none. */
    readonly securitySecrets?: SecuritySecrets;
}

/**
 * Shape-checks, resolves and validates, and returns every problem with the resolved config (the
 * keys that failed the shape check take their defaults), so checks that span targets can still run.
 */
export function checkConfig(input: ModelInput): { config: ResolvedConfig; problems: Problem[] } {
    const shape = checkShape(input.cluster ?? {}, CLUSTER_SHAPE, "cluster");
    const raw = (shape.value ?? {}) as ClusterConfig;
    const config = resolve(raw, { stack: input.stack });
    const problems = [
        ...shape.problems,
        ...validate(raw, config, { hasKafkaUiPassword: input.hasKafkaUiPassword }),
        ...validateSecurity(raw, config, input.securitySecrets ?? NO_SECURITY_SECRETS),
    ];
    return { config, problems };
}

/** Shape-checks, resolves and validates; throws a `ConfigError` listing every problem. */
export function resolveConfig(input: ModelInput): ResolvedConfig {
    const { config, problems } = checkConfig(input);
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
}

/** The whole pipeline: a valid model for a target's addressing, or a `ConfigError`. */
export function planCluster(input: ModelInput, addressing: (config: ResolvedConfig) => Addressing): ClusterModel {
    const config = resolveConfig(input);
    return buildModel(config, addressing(config));
}
export { NodeRestart, restartPlan, rollOrder } from "./restarts";
export { BrokerChanges, VersionStep, brokerChanges, kafkaVersionOf, refusedChanges, versionStep } from "./day2";
