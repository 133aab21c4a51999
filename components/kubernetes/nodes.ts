/**
 * The node groups as Kubernetes objects, built and never applied (Strimzi's `generate*` style;
 * `cluster.ts` turns them into resources): per group (zookeeper, controller, kafka) a versioned
 * ConfigMap of its nodes' settings, a StatefulSet and a PodDisruptionBudget.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, NodeModel } from "../model";
import { readinessCommand, runImageCommand } from "../model/images";
import { groupTemplates, templateSelection } from "../model/nodeTemplates";
import { shellQuote } from "../model/topicScript";
import { names, nodeGroup } from "./addressing";
import { ResolvedKubernetes, Workload } from "./config";
import { SKIP_AWAIT, labels, meta } from "./labels";

/** The user and group both Kafka image families run as: volumes are made theirs. */
const IMAGE_UID = 1000;
const IMAGE_GID = 1000;
/** Where each pod finds its group's env files (`groupTemplates`). */
export const NODE_CONFIG_DIR = "/etc/kafka-env";
const ZOOKEEPER_PEER_PORTS = [
    { name: "peer", containerPort: 2888 },
    { name: "leader-election", containerPort: 3888 },
];

/** The nodes of one StatefulSet: `zookeeper`, `controller` or `kafka`. */
export interface NodeGroup {
    readonly group: string;
    readonly workload: Workload;
    readonly nodes: readonly NodeModel[];
}

export function nodeGroups(model: ClusterModel): NodeGroup[] {
    const groups = new Map<string, NodeModel[]>();
    for (const node of model.nodes) {
        const { group } = nodeGroup(node.name);
        groups.set(group, [...(groups.get(group) ?? []), node]);
    }
    return [...groups].map(([group, nodes]) => ({ group, nodes, workload: group as Workload }));
}

/** Every container port a group's nodes listen on, named, in a stable order. */
export function containerPorts(g: NodeGroup): k8s.types.input.core.v1.ContainerPort[] {
    if (g.group === "zookeeper") {
        return [{ name: "client", containerPort: g.nodes[0].probePort }, ...ZOOKEEPER_PEER_PORTS];
    }
    const byName = new Map<string, number>();
    for (const n of g.nodes) for (const l of n.listeners) byName.set(l.name.toLowerCase(), l.port);
    const order = ["internal", "external", "controller"];
    return order.filter((n) => byName.has(n)).map((name) => ({ name, containerPort: byName.get(name)! }));
}

/** The hash of a group's node settings: in its ConfigMap's name and its pods' template, so a change rolls that group. */
export function settingsHash(data: Readonly<Record<string, string>>): string {
    const canonical = JSON.stringify(
        Object.keys(data)
            .sort()
            .map((k) => [k, data[k]]),
    );
    return createHash("sha256").update(canonical).digest("hex").slice(0, 10);
}

/** The ConfigMap name of a group's settings with this hash: versioned, never changed in place. */
export function settingsConfigMapName(env: string, group: string, hash: string): string {
    return `${env}-${group}-settings-${hash}`;
}

/**
 * The group's env files (`groupTemplates`: one per kind of node, written over the pod's ordinal), in
 * a ConfigMap named after the content's hash and immutable: a settings change creates a new
 * ConfigMap, the StatefulSet's template points at it (a rolling update, one pod at a time), and the
 * old one is deleted only after that. Never a fixed name that would have to be deleted first, never
 * another group's pods restarted, and a node more of the same kind changes nothing but `replicas`.
 */
export function groupConfigMap(
    env: string,
    namespace: pulumi.Input<string>,
    g: NodeGroup,
    data: pulumi.Input<Record<string, string>>,
): k8s.core.v1.ConfigMapArgs {
    const name = pulumi.output(data).apply((d) => settingsConfigMapName(env, g.group, settingsHash(d)));
    return { metadata: meta(env, namespace, name, g.group), immutable: true, data };
}

/** The env files of a group, by file name, before deploy-time substitutions (see `groupTemplates`). */
export function groupEnvFiles(g: NodeGroup): Record<string, string> {
    return groupTemplates(g.nodes);
}

/** A node pod's command: picks the group's env file serving its ordinal, sources it, runs the image's launcher. */
export function nodeCommand(): string {
    return runImageCommand("$settings_file", templateSelection(NODE_CONFIG_DIR));
}

/** The workloads' pod templates carry this annotation: the hash of the group's node settings. */
export const SETTINGS_HASH_ANNOTATION = "kafka-env.io/settings-hash";

export function statefulSet(
    env: string,
    namespace: pulumi.Input<string>,
    g: NodeGroup,
    k: ResolvedKubernetes,
    settings: { readonly configMapName: pulumi.Input<string>; readonly hash: pulumi.Input<string> },
): k8s.apps.v1.StatefulSetArgs {
    const first = g.nodes[0];
    const podLabels = labels(env, g.group);
    const size = g.group === "zookeeper" ? k.storage.zookeeperSize : k.storage.size;
    return {
        metadata: { ...meta(env, namespace, names.statefulSet(env, g.group), g.group), annotations: SKIP_AWAIT },
        spec: {
            serviceName: names.headless(env, g.group),
            replicas: g.nodes.length,
            // Quorum members need each other to start: start them together, not one by one. Updates
            // still roll one pod at a time, highest ordinal first, each Ready before the next.
            podManagementPolicy: "Parallel",
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
            // Claims outlive the StatefulSet (a replaced StatefulSet finds its data again) and a scale-down.
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            selector: { matchLabels: podLabels },
            template: {
                metadata: { labels: podLabels, annotations: { [SETTINGS_HASH_ANNOTATION]: settings.hash } },
                spec: {
                    enableServiceLinks: false,
                    securityContext: { fsGroup: IMAGE_GID },
                    terminationGracePeriodSeconds: 60,
                    affinity: spreadAcrossNodes(podLabels),
                    initContainers: k.storage.prepareVolumes ? [prepareVolumes(first)] : undefined,
                    containers: [
                        {
                            name: g.group,
                            image: first.image,
                            command: ["bash", "-c", nodeCommand()],
                            ports: containerPorts(g),
                            resources: k.resources[g.workload],
                            readinessProbe: {
                                exec: { command: ["bash", "-c", readinessCommand(first)] },
                                initialDelaySeconds: 10,
                                periodSeconds: 15,
                                timeoutSeconds: 30,
                                failureThreshold: 4,
                            },
                            // A JVM start can take minutes on a busy node: liveness only counts once the
                            // port is open (up to 10 min), else the kubelet kills a node that is still starting.
                            startupProbe: {
                                tcpSocket: { port: first.probePort },
                                periodSeconds: 10,
                                failureThreshold: 60,
                            },
                            livenessProbe: {
                                tcpSocket: { port: first.probePort },
                                periodSeconds: 20,
                                failureThreshold: 6,
                            },
                            volumeMounts: [
                                ...first.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
                                { name: "node-config", mountPath: NODE_CONFIG_DIR, readOnly: true },
                            ],
                        },
                    ],
                    volumes: [{ name: "node-config", configMap: { name: settings.configMapName } }],
                },
            },
            volumeClaimTemplates: first.volumes.map((v) => ({
                metadata: { name: v.name, labels: podLabels },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: k.storage.storageClass,
                    resources: { requests: { storage: size } },
                },
            })),
        },
    };
}

/**
 * Makes the data directories the image's user's before the node starts. `fsGroup` does that on
 * most volumes, but hostPath, local-path and some NFS provisioners ignore it, and the images then
 * fail on a root-owned directory. Runs as root (opt out with `kubernetes.storage.prepareVolumes:
 * false` where policy forbids it); changes only the mount points, never the data below them.
 */
function prepareVolumes(node: NodeModel): k8s.types.input.core.v1.Container {
    const dirs = node.volumes.map((v) => shellQuote(v.path)).join(" ");
    const owner = `${IMAGE_UID}:${IMAGE_GID}`;
    return {
        name: "prepare-volumes",
        image: node.image,
        command: ["bash", "-c", `set -e; for d in ${dirs}; do [ "$(stat -c %u:%g "$d")" = ${owner} ] || chown ${owner} "$d"; chmod u+rwx "$d"; done`],
        securityContext: { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false },
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
        volumeMounts: node.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
    };
}

/** Prefer one node per Kubernetes node: losing a machine then costs one replica, not several. */
function spreadAcrossNodes(podLabels: Record<string, string>): k8s.types.input.core.v1.Affinity {
    return {
        podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: podLabels } } },
            ],
        },
    };
}

/** At most one node of a group down for voluntary disruptions (drains, upgrades). */
export function disruptionBudget(env: string, namespace: pulumi.Input<string>, g: NodeGroup): k8s.policy.v1.PodDisruptionBudgetArgs {
    return {
        metadata: meta(env, namespace, names.statefulSet(env, g.group), g.group),
        spec: { maxUnavailable: 1, selector: { matchLabels: labels(env, g.group) } },
    };
}
