/**
 * The pure half of the program: a stack's `kafka-env:*` config in, a validated plan out (the
 * target, the resolved settings and the cluster model for that target's addressing). No resource is
 * registered here, so the PR diff (`tools/diff/`) reads a stack file exactly as `pulumi up` does.
 */
import { dockerAddressing } from "./docker/addressing";
import { kubernetesAddressing } from "./kubernetes/addressing";
import { KUBERNETES_SHAPE, ResolvedKubernetes, resolveKubernetes } from "./kubernetes/config";
import { RACK_AWARE_SELECTOR } from "./kubernetes/platform";
import { checkHeapRoom } from "./kubernetes/resources";
import { sortKeys } from "./model/resolve";
import { ClusterModel, ConfigError, Problem, ResolvedConfig, Target, buildModel, checkConfig } from "./model";
import { CLUSTER_SHAPE, Shape, closest, editDistance } from "./model/shape";
import { securitySecretsOf } from "./model/validateSecurity";

/** Top-level keys of the `kafka-env` config namespace, and the target they belong to. */
const KNOWN_KEYS: Readonly<Record<string, Target | "any">> = {
    target: "any",
    cluster: "any",
    kafkaUiPassword: "any",
    userPasswords: "any",
    caCertificate: "any",
    caKey: "any",
    namespace: "kubernetes",
    kubernetes: "kubernetes",
};
const TARGETS: readonly Target[] = ["docker", "kubernetes"];
/** The object-valued keys, whose own keys are sometimes written one level too high. */
const NESTED: readonly [string, Shape][] = [
    ["cluster", CLUSTER_SHAPE],
    ["kubernetes", KUBERNETES_SHAPE],
];
const NAMESPACE = "kafka-env";

export interface EnvironmentInput {
    /** The stack's `kafka-env:*` values by key without the namespace (`cluster`, `target`, ...), objects parsed. */
    readonly values: Readonly<Record<string, unknown>>;
    /** The Pulumi stack name. */
    readonly stack: string;
    /** The stack's other config keys, with their namespace (`pulumi:tags`, `kafka_env:cluster`). Default: none. */
    readonly otherKeys?: readonly string[];
    /**
     * How messages name a key: `config` (`kafka-env:cluster`, with `pulumi config set` hints) or
     * `args` (a `KafkaEnvironment`'s argument names). Default: `config`.
     */
    readonly terms?: "config" | "args";
}

export interface EnvironmentPlan {
    readonly target: Target;
    readonly cluster: ResolvedConfig;
    /** Present with target `kubernetes`. */
    readonly kubernetes?: ResolvedKubernetes;
    readonly model: ClusterModel;
}

/** Checks every key and setting; throws one `ConfigError` listing every problem. */
export function planEnvironment(input: EnvironmentInput): EnvironmentPlan {
    const values = input.values;
    const target = typeof values.target === "string" ? values.target : "docker";
    const problems = [...checkNamespaces(input.otherKeys ?? []), ...checkTopLevelKeys(Object.keys(values), target, input.terms ?? "config")];
    if (!(TARGETS as readonly string[]).includes(target)) {
        problems.push({ path: "target", message: `is "${target}"; use "docker" or "kubernetes"` });
    }
    const hasKafkaUiPassword = values.kafkaUiPassword !== undefined;
    const checked = checkConfig({ cluster: values.cluster, stack: input.stack, hasKafkaUiPassword, securitySecrets: securitySecretsOf(values) });
    let cluster = checked.config;
    problems.push(...checked.problems);
    let kubernetes: ResolvedKubernetes | undefined;
    if (target === "kubernetes") {
        const resolved = resolveKubernetes(values.namespace, values.kubernetes, cluster.brokers);
        kubernetes = resolved.config;
        problems.push(...resolved.problems, ...checkHeapRoom(cluster, kubernetes.resources), ...platformNeeds(cluster, kubernetes));
        if (kubernetes.rack.closestReplicaFetching) cluster = { ...cluster, brokerConfig: sortKeys({ ...cluster.brokerConfig, ...RACK_AWARE_SELECTOR }) };
    }
    if (problems.length > 0) throw new ConfigError(problems);
    const addressing = kubernetes ? kubernetesAddressing(cluster, kubernetes) : dockerAddressing(cluster);
    return { target: target as Target, cluster, kubernetes, model: buildModel(cluster, addressing) };
}

/** Kubernetes settings that need a cluster setting, or must not contradict one. */
function platformNeeds(c: ResolvedConfig, k: ResolvedKubernetes): Problem[] {
    const problems: Problem[] = [];
    if (k.monitoring.monitor !== "none" && !c.metrics.enabled) {
        problems.push({
            path: "kubernetes.monitoring.monitor",
            message: `is ${k.monitoring.monitor}, which scrapes /metrics: set cluster.metrics.enabled to true, or monitor to "none"`,
        });
    }
    const [key, value] = Object.entries(RACK_AWARE_SELECTOR)[0];
    const own = c.brokerConfig[key];
    if (k.rack.closestReplicaFetching && own !== undefined && own !== value) {
        problems.push({
            path: "kubernetes.rack.closestReplicaFetching",
            message: `sets ${key} to ${value}, but cluster.brokerConfig sets it to "${own}"; keep one`,
        });
    }
    if (k.rack.closestReplicaFetching && !k.rack.enabled) {
        problems.push({
            path: "kubernetes.rack.closestReplicaFetching",
            message: "needs kubernetes.rack.enabled: without broker.rack no replica is closer than another",
        });
    }
    return problems;
}

/** Unknown keys in the `kafka-env` namespace are typos, and a target's keys need that target. */
function checkTopLevelKeys(keys: readonly string[], target: string, terms: "config" | "args"): Problem[] {
    const problems: Problem[] = [];
    const prefix = terms === "config" ? "kafka-env:" : "";
    const known = Object.keys(KNOWN_KEYS);
    for (const key of keys) {
        const owner = KNOWN_KEYS[key];
        if (owner === undefined) {
            const guess = closest(key, known);
            const parent = NESTED.find(([, shape]) => shape.kind === "object" && shape.fields[key] !== undefined)?.[0];
            problems.push({
                path: key,
                message: guess
                    ? `unknown key; did you mean "${prefix}${guess}"?`
                    : parent
                      ? `unknown key; ${key} belongs inside ${prefix}${parent}${terms === "config" ? ` (pulumi config set --path ${parent}.${key} VALUE)` : ""}`
                      : `unknown key; known keys are ${known.join(", ")}`,
            });
        } else if (owner !== "any" && owner !== target) {
            problems.push({ path: key, message: `applies to target "${owner}" but ${prefix}target is "${target}"; remove it or change the target` });
        }
    }
    return problems;
}

/**
 * A namespace that is `kafka-env` mistyped (`kafka_env`, `kafkaenv`, `Kafka-Env`, `kafka-evn`) would
 * be ignored, and the stack deployed with defaults. Other namespaces (`pulumi`, `docker`,
 * `kubernetes`, `kafka`, ...) belong to Pulumi and providers and are left alone.
 */
function checkNamespaces(keys: readonly string[]): Problem[] {
    const problems: Problem[] = [];
    for (const full of keys) {
        const colon = full.indexOf(":");
        if (colon < 0) continue;
        const [namespace, key] = [full.slice(0, colon), full.slice(colon + 1)];
        const lower = namespace.toLowerCase();
        if (namespace === NAMESPACE) continue;
        if (lower.replace(/[^a-z0-9]/g, "") === "kafkaenv" || editDistance(lower, NAMESPACE) <= 2) {
            problems.push({
                path: full,
                message: `is in the config namespace "${namespace}", which kafka-env does not read (the stack would get the defaults); did you mean "${NAMESPACE}:${key}"?`,
            });
        }
    }
    return problems;
}
