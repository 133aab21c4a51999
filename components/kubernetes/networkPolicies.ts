/**
 * NetworkPolicies (`kubernetes.networkPolicy`, on by default): ingress to every node and to
 * kafka-ui, port by port, from the model's listeners (listenerAccess.ts), so a listener added later
 * is covered. Client listeners: the cluster's own namespace and the listed namespaces and address
 * ranges; the external listener: `external.sourceRanges` (anywhere when unset); every other
 * listener (the controllers', replication): the cluster's own Kafka nodes only; ZooKeeper's client
 * port: the brokers only, its peer ports: ZooKeeper only; `metrics`: the namespace and
 * `metricsNamespaces`; kafka-ui: the namespace and `kafkaUiNamespaces`/`kafkaUiCidrs`.
 * Egress is not restricted.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel } from "../model";
import { ResolvedKubernetes } from "./config";
import { labels, meta } from "./labels";
import { portsFor } from "./listenerAccess";
import { NodeGroup, ZOOKEEPER_PEER_PORTS } from "./nodes";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Rule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;

const tcp = (ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port }));
const namespaces = (list: readonly string[]): Peer[] => list.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } }));
const cidrs = (list: readonly string[]): Peer[] => list.map((cidr) => ({ ipBlock: { cidr } }));
/** Every pod of the policy's own namespace. */
const ownNamespace: Peer = { podSelector: {} };

/** The pods of this cluster whose component is one of `components`. */
function podsOf(env: string, components: readonly string[]): Peer {
    return {
        podSelector: {
            matchExpressions: [
                { key: "app.kubernetes.io/instance", operator: "In", values: [env] },
                { key: "app.kubernetes.io/component", operator: "In", values: [...components] },
            ],
        },
    };
}

/** The pods of this cluster's Kafka nodes (brokers and controllers). */
const kafkaNodes = (env: string) => podsOf(env, ["kafka", "controller"]);
/** The pods of this cluster's tool Jobs (topics, day-2 steps, credentials and ACLs): they connect over REPLICATION. */
const toolPods = (env: string) => podsOf(env, ["topics", "day2"]);

function rule(ports: readonly number[], from: Peer[] | "anywhere"): Rule[] {
    if (ports.length === 0) return [];
    return [from === "anywhere" ? { ports: tcp(ports) } : { ports: tcp(ports), from }];
}

/** The ingress rules of one node group. */
export function groupIngress(env: string, g: NodeGroup, k: ResolvedKubernetes, metricsPort?: number): Rule[] {
    const np = k.networkPolicy;
    const metrics = metricsPort !== undefined ? rule([metricsPort], [ownNamespace, ...namespaces(np.metricsNamespaces)]) : [];
    if (g.group === "zookeeper") {
        return [
            ...rule([g.nodes[0].probePort], [{ podSelector: { matchLabels: labels(env, "kafka") } }]),
            ...rule(
                ZOOKEEPER_PEER_PORTS.map((p) => p.containerPort),
                [{ podSelector: { matchLabels: labels(env, "zookeeper") } }],
            ),
            ...metrics,
        ];
    }
    const listeners = g.nodes.flatMap((n) => n.listeners);
    const outside = k.external.sourceRanges.length > 0 ? cidrs(k.external.sourceRanges) : "anywhere";
    return [
        ...rule(portsFor(listeners, "clients"), [ownNamespace, ...namespaces(np.clientNamespaces), ...cidrs(np.clientCidrs)]),
        ...rule(portsFor(listeners, "outside"), outside),
        ...rule(portsFor(listeners, "cluster"), [kafkaNodes(env)]),
        // A secured cluster's tools Jobs connect as the tools identity (a certificate) over REPLICATION.
        ...rule([...new Set(listeners.filter((l) => l.name === "REPLICATION").map((l) => l.port))], [toolPods(env)]),
        ...metrics,
    ];
}

export function groupPolicy(
    env: string,
    namespace: pulumi.Input<string>,
    g: NodeGroup,
    k: ResolvedKubernetes,
    metricsPort?: number,
): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: meta(env, namespace, `${env}-${g.group}`, g.group),
        spec: { podSelector: { matchLabels: labels(env, g.group) }, policyTypes: ["Ingress"], ingress: groupIngress(env, g, k, metricsPort) },
    };
}

export function kafkaUiPolicy(env: string, namespace: pulumi.Input<string>, model: ClusterModel, k: ResolvedKubernetes): k8s.networking.v1.NetworkPolicyArgs {
    const np = k.networkPolicy;
    return {
        metadata: meta(env, namespace, `${env}-kafka-ui`, "kafka-ui"),
        spec: {
            podSelector: { matchLabels: labels(env, "kafka-ui") },
            policyTypes: ["Ingress"],
            ingress: rule([model.kafkaUi!.port], [ownNamespace, ...namespaces(np.kafkaUiNamespaces), ...cidrs(np.kafkaUiCidrs)]),
        },
    };
}
