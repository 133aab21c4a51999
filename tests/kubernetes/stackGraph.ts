/**
 * The k8s stack (Pulumi.k8s.yaml) run under mocks, and how the resource-graph tests read its graph:
 * the Kubernetes objects it would apply, and a node's settings as its pod exports them.
 */
import { Recorded, runProgram, stackConfig } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { isWrappedSecret } from "../security/registered";
import { podEnv } from "./podEnv";

export const K8S = stackConfig("k8s");
export const POD = (i: number) => `kafka-dev-kafka-${i}.kafka-dev-kafka-headless.kafka.svc.cluster.local`;

export const run = (config: Record<string, string>) => runProgram(config, "k8s");

/** The Kubernetes objects of a graph (what would be applied, secret values in place), without providers. */
export function manifests(resources: readonly Recorded[]): object[] {
    return resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => unwrapSecrets(r.inputs) as object);
}

/** `value` with every secret the mocks saw wrapped (`{ <sig key>: <secret sig>, value }`) replaced by its value. */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value === null || typeof value !== "object") return value;
    if (isWrappedSecret(value)) return unwrapSecrets((value as { value: unknown }).value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** A node's settings as its pod exports them: its StatefulSet's command over its group's settings ConfigMap. */
export function nodeEnv(resources: readonly Recorded[], node: string): Record<string, string> {
    const group = node.slice(0, node.lastIndexOf("-"));
    const cm = byType(resources, TYPES.configMap).get(`kafka-dev-${group}-settings`)!;
    const container = byType(resources, TYPES.statefulSet).get(`kafka-dev-${group}`)!.inputs.spec.template.spec.containers[0];
    return podEnv(container.command[2], cm.inputs.data, `kafka-dev-${group}-${Number(node.slice(group.length + 1)) - 1}`);
}
