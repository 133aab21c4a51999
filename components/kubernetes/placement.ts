/**
 * Where kafka-env's pods run and what they carry, from `kubernetes.pods`: node selector,
 * tolerations, pull secrets, extra labels and annotations for every pod; a priority class and a
 * ServiceAccount for the nodes' pods; and the nodes' spread over zones and hosts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedKubernetes } from "./config";

/** What every kafka-env pod gets: scheduling constraints and pull secrets. */
export function podScheduling(k: ResolvedKubernetes): Partial<k8s.types.input.core.v1.PodSpec> {
    const p = k.pods;
    const spec: Partial<k8s.types.input.core.v1.PodSpec> = {};
    if (Object.keys(p.nodeSelector).length > 0) spec.nodeSelector = { ...p.nodeSelector };
    if (p.tolerations.length > 0) spec.tolerations = p.tolerations.map((t) => ({ ...t }));
    if (p.imagePullSecrets.length > 0) spec.imagePullSecrets = p.imagePullSecrets.map((name) => ({ name }));
    return spec;
}

/** The pod template's metadata: kafka-env's labels (the selectors'), then the configured extras. */
export function podMetadata(k: ResolvedKubernetes, own: Record<string, string>, annotations: Record<string, pulumi.Input<string>> = {}) {
    const extra = { ...k.pods.annotations, ...annotations };
    return { labels: { ...k.pods.labels, ...own }, ...(Object.keys(extra).length > 0 ? { annotations: extra } : {}) };
}

/** The nodes' pods (ZooKeeper, controllers, brokers): priority and ServiceAccount, on top of `podScheduling`. */
export function nodeScheduling(k: ResolvedKubernetes, serviceAccountName: string | undefined): Partial<k8s.types.input.core.v1.PodSpec> {
    return {
        ...podScheduling(k),
        ...(k.pods.priorityClassName ? { priorityClassName: k.pods.priorityClassName } : {}),
        ...(serviceAccountName ? { serviceAccountName } : {}),
    };
}

/**
 * Spread a group's pods evenly over zones, then over hosts (preferred, so a single-zone or
 * single-node cluster still schedules them): losing a zone or a machine then costs one replica of
 * a partition, not several. The hostname anti-affinity says the same for schedulers that ignore spread.
 */
export function spread(podLabels: Record<string, string>): Pick<k8s.types.input.core.v1.PodSpec, "affinity" | "topologySpreadConstraints"> {
    const selector = { matchLabels: podLabels };
    return {
        topologySpreadConstraints: ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: selector,
        })),
        affinity: {
            podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                    { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: selector } },
                ],
            },
        },
    };
}
