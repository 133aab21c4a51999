/**
 * Metrics on Kubernetes (`cluster.metrics`, see model/metrics.ts): the agent's jar, read where
 * `pulumi` runs, in immutable ConfigMaps named after its digest (split in parts: a ConfigMap holds
 * at most 1 MiB), with the rules beside it; every node's launcher joins the parts into kafka-env's
 * writable directory and loads the agent. A `metrics` port on every node, and the Prometheus
 * Operator's PodMonitor or ServiceMonitor when `kubernetes.monitoring.monitor` asks for one.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { METRICS_DIR, RulesKind } from "../model/metrics";
import { metricsRules } from "../model/metricsRules";
import { shellQuote } from "../model/topicScript";
import { ResolvedKubernetes } from "./config";
import { meta } from "./labels";

/** Where the parts and the rules are mounted in a node's container. */
export const METRICS_SOURCE_DIR = "/etc/kafka-env-metrics";
export const METRICS_VOLUME = "metrics";
/** Below a ConfigMap's 1 MiB, with room for its name and keys. */
const PART_BYTES = 900 * 1024;

/** The ConfigMaps of the agent's parts and of the rules, named after their content. */
export function metricsConfigMaps(env: string, namespace: pulumi.Input<string>, jar: Buffer): { name: string; args: k8s.core.v1.ConfigMapArgs }[] {
    const digest = createHash("sha256").update(jar).digest("hex").slice(0, 10);
    const maps: { name: string; args: k8s.core.v1.ConfigMapArgs }[] = [];
    for (let i = 0; i * PART_BYTES < jar.length; i++) {
        const name = `${env}-metrics-agent-${digest}-${i}`;
        const part = jar.subarray(i * PART_BYTES, (i + 1) * PART_BYTES).toString("base64");
        maps.push({ name, args: { metadata: meta(env, namespace, name, "metrics"), immutable: true, binaryData: { [`part-${i}`]: part } } });
    }
    const rules: Record<string, string> = { "kafka.yaml": metricsRules("kafka"), "zookeeper.yaml": metricsRules("zookeeper") };
    const rulesName = `${env}-metrics-rules-${createHash("sha256").update(JSON.stringify(rules)).digest("hex").slice(0, 10)}`;
    maps.push({ name: rulesName, args: { metadata: meta(env, namespace, rulesName, "metrics"), immutable: true, data: rules } });
    return maps;
}

/** One read-only volume with every part and the rules. */
export function metricsVolume(configMapNames: readonly pulumi.Input<string>[]): k8s.types.input.core.v1.Volume {
    return { name: METRICS_VOLUME, projected: { sources: configMapNames.map((name) => ({ configMap: { name } })) } };
}

/** The launcher's lines that put the agent and the rules of `kind` into `METRICS_DIR`. */
export function metricsLaunchLines(kind: RulesKind): string[] {
    const from = shellQuote(METRICS_SOURCE_DIR);
    return [`mkdir -p ${METRICS_DIR}`, `cat ${from}/part-* > ${METRICS_DIR}/jmx_prometheus_javaagent.jar`, `cp ${from}/${kind}.yaml ${METRICS_DIR}/`];
}

/** A PodMonitor (every node pod's `metrics` port) or a ServiceMonitor (the headless Services' `metrics` port). */
export function monitor(env: string, namespace: pulumi.Input<string>, k: ResolvedKubernetes, groups: readonly string[]) {
    const kind = k.monitoring.monitor;
    const selector = {
        matchExpressions: [
            { key: "app.kubernetes.io/instance", operator: "In", values: [env] },
            { key: "app.kubernetes.io/component", operator: "In", values: [...groups] },
        ],
    };
    const endpoint = { port: "metrics", path: "/metrics", interval: "30s" };
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind,
        metadata: { name: `${env}-metrics`, namespace, labels: { ...meta(env, namespace, "", "metrics").labels, ...k.monitoring.labels } },
        spec:
            kind === "PodMonitor"
                ? { selector, podMetricsEndpoints: [endpoint] }
                : { selector: { matchExpressions: [...selector.matchExpressions] }, endpoints: [endpoint], namespaceSelector: { matchNames: [k.namespace] } },
    };
}
