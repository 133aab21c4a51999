/**
 * The objects a platform team expects beside the node groups, built from the model and created
 * here so the cluster component stays a list of steps: the bootstrap Service, the NetworkPolicies,
 * the rack init step's ServiceAccount and RBAC, the metrics agent's ConfigMaps and the
 * Prometheus Operator's monitor.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, isBroker } from "../model";
import { names } from "./addressing";
import { ResolvedKubernetes } from "./config";
import { readAgentJar } from "../metricsAgent";
import { metricsConfigMaps, metricsVolume, monitor } from "./metrics";
import { groupPolicy, kafkaUiPolicy } from "./networkPolicies";
import { NodeGroup, NodePodExtras } from "./nodes";
import { rackAccess, serviceAccountOf } from "./rack";
import { bootstrapService } from "./services";

/** What the node groups' pods get from these objects, and what the brokers must wait for. */
export interface PlatformParts extends NodePodExtras {
    /** The rack's RBAC: a broker must not start before it may read its node. */
    readonly brokersAfter: readonly pulumi.Resource[];
}

/** The labels of the namespace kafka-env creates: the Pod Security level it enforces. */
export function namespaceLabels(k: ResolvedKubernetes): Record<string, string> {
    return k.podSecurity.enforce === "none" ? {} : { "pod-security.kubernetes.io/enforce": k.podSecurity.enforce };
}

export function platformObjects(
    env: string,
    namespace: pulumi.Input<string>,
    model: ClusterModel,
    groups: readonly NodeGroup[],
    k: ResolvedKubernetes,
    child: pulumi.CustomResourceOptions,
): PlatformParts {
    const brokers = model.nodes.filter(isBroker);
    if (brokers.length > 0) new k8s.core.v1.Service(names.bootstrapService(env), bootstrapService(env, namespace, brokers), child);

    let metrics: NodePodExtras["metrics"];
    if (model.metrics) {
        const maps = metricsConfigMaps(env, namespace, readAgentJar(model.metrics.agentJar)).map(
            ({ name, args }) => new k8s.core.v1.ConfigMap(name, args, child).metadata.name,
        );
        metrics = { port: model.metrics.port, volume: metricsVolume(maps) };
        if (k.monitoring.monitor !== "none") {
            const m = monitor(
                env,
                namespace,
                k,
                groups.map((g) => g.group),
            );
            new k8s.apiextensions.CustomResource(`${env}-metrics`, m, child);
        }
    }

    if (k.networkPolicy.enabled) {
        for (const g of groups) new k8s.networking.v1.NetworkPolicy(`${env}-${g.group}-policy`, groupPolicy(env, namespace, g, k, metrics?.port), child);
        if (model.kafkaUi) new k8s.networking.v1.NetworkPolicy(`${env}-kafka-ui-policy`, kafkaUiPolicy(env, namespace, model, k), child);
    }

    const brokersAfter = k.rack.enabled ? rackAccess(env, namespace, k, child) : [];
    return { metrics, serviceAccountName: serviceAccountOf(env, k), brokersAfter };
}
