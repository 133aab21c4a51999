/** The Services of the cluster's nodes: a headless one per group, and one per broker for clients outside the cluster. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NodeModel } from "../model";
import { names } from "./addressing";
import { ResolvedKubernetes } from "./config";
import { labels, meta } from "./labels";
import { portsFor } from "./listenerAccess";
import { NodeGroup, containerPorts } from "./nodes";

export function headlessService(env: string, namespace: pulumi.Input<string>, g: NodeGroup): k8s.core.v1.ServiceArgs {
    return {
        metadata: meta(env, namespace, names.headless(env, g.group), g.group),
        spec: {
            clusterIP: "None",
            // Brokers must resolve each other (and the quorum) before any is ready.
            publishNotReadyAddresses: true,
            selector: labels(env, g.group),
            ports: containerPorts(g).map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.containerPort })),
        },
    };
}

/** One Service per broker, selecting that broker's pod alone: Kafka clients talk to each broker directly. */
export function externalService(
    env: string,
    namespace: pulumi.Input<string>,
    broker: NodeModel,
    k: ResolvedKubernetes,
    index: number,
): k8s.core.v1.ServiceArgs {
    const external = broker.listeners.find((l) => l.name === "EXTERNAL")!;
    const nodePort = k.external.type === "NodePort" ? { nodePort: k.external.nodePortBase + index } : {};
    const ext = k.external;
    const sourceRanges = ext.type === "LoadBalancer" && ext.sourceRanges.length > 0 ? { loadBalancerSourceRanges: [...ext.sourceRanges] } : {};
    const annotations = Object.keys(ext.annotations).length > 0 ? { annotations: { ...ext.annotations } } : {};
    return {
        metadata: { ...meta(env, namespace, names.externalService(env, broker.name), "kafka"), ...annotations },
        spec: {
            type: k.external.type,
            ...sourceRanges,
            selector: { "statefulset.kubernetes.io/pod-name": names.pod(env, broker.name) },
            ports: [{ name: "external", port: external.port, targetPort: external.port, ...nodePort }],
        },
    };
}

/**
 * One Service in front of every broker (`<env>-kafka-bootstrap`, as Strimzi's): clients bootstrap
 * from it and then talk to each broker at its advertised address, so their settings stay the same
 * when brokers are added. Only Ready brokers (caught up) receive new connections.
 */
export function bootstrapService(env: string, namespace: pulumi.Input<string>, brokers: readonly NodeModel[]): k8s.core.v1.ServiceArgs {
    const ports = portsFor(brokers[0].listeners, "clients");
    return {
        metadata: meta(env, namespace, names.bootstrapService(env), "kafka"),
        spec: {
            type: "ClusterIP",
            selector: labels(env, "kafka"),
            ports: ports.map((port) => ({ name: brokers[0].listeners.find((l) => l.port === port)!.name.toLowerCase(), port, targetPort: port })),
        },
    };
}
