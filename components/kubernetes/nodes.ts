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
import { agentLaunchLines, rulesKind } from "../model/metrics";
import { groupTemplates, templateSelection } from "../model/nodeTemplates";
import { names, nodeGroup } from "./addressing";
import { ResolvedKubernetes, Workload } from "./config";
import { SKIP_AWAIT, labels, meta } from "./labels";
import { METRICS_SOURCE_DIR, METRICS_VOLUME, metricsLaunchLines } from "./metrics";
import { nodeScheduling, podMetadata, spread } from "./placement";
import {
    RUN_DIR,
    podSecurityContext,
    prepareVolumesContainer,
    restrictedContainer,
    volumeCheckLines,
    writableDirsContainer,
    writableMounts,
} from "./podSecurity";
import { rackInit, rackLaunchLines } from "./rack";
import { TLS_GENERATION_ANNOTATION, nodeTlsVolumes, tlsCopyLines } from "./secrets";

/** Where each pod finds its group's env files (`groupTemplates`). */
export const NODE_CONFIG_DIR = "/etc/kafka-env";
export const ZOOKEEPER_PEER_PORTS = [
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

/** Every container port a group's nodes listen on, named, in a stable order: the known listeners, any other, then `metrics`. */
export function containerPorts(g: NodeGroup, metricsPort?: number): k8s.types.input.core.v1.ContainerPort[] {
    const metrics = metricsPort !== undefined ? [{ name: "metrics", containerPort: metricsPort }] : [];
    if (g.group === "zookeeper") {
        return [{ name: "client", containerPort: g.nodes[0].probePort }, ...ZOOKEEPER_PEER_PORTS, ...metrics];
    }
    const byName = new Map<string, number>();
    for (const n of g.nodes) for (const l of n.listeners) byName.set(l.name.toLowerCase(), l.port);
    const known = ["internal", "external", "controller"];
    const order = [...known, ...[...byName.keys()].filter((n) => !known.includes(n)).sort()];
    return [...order.filter((n) => byName.has(n)).map((name) => ({ name, containerPort: byName.get(name)! })), ...metrics];
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

/**
 * A node pod's command: picks the group's env file serving its ordinal, runs `afterSelection` (a
 * secured pod copies its own files), sources the file, runs `beforeLaunch`, then the image's launcher.
 */
export function nodeCommand(beforeLaunch: readonly string[] = [], afterSelection: readonly string[] = []): string {
    return runImageCommand("$settings_file", [...templateSelection(NODE_CONFIG_DIR), ...afterSelection], beforeLaunch);
}

/** The workloads' pod templates carry this annotation: the hash of the group's node settings. */
export const SETTINGS_HASH_ANNOTATION = "kafka-env.io/settings-hash";

/** What a group's pods get beyond the group itself: the metrics volume and port, the ServiceAccount. */
export interface NodePodExtras {
    readonly metrics?: { readonly port: number; readonly volume: k8s.types.input.core.v1.Volume };
    readonly serviceAccountName?: string;
}

export function statefulSet(
    env: string,
    namespace: pulumi.Input<string>,
    g: NodeGroup,
    k: ResolvedKubernetes,
    settings: {
        readonly configMapName: pulumi.Input<string>;
        readonly hash: pulumi.Input<string>;
        /** A secured group's certificates' generation (secrets.ts): its files come from its Secret. */
        readonly tlsGeneration?: pulumi.Input<string>;
    },
    extras: NodePodExtras = {},
): k8s.apps.v1.StatefulSetArgs {
    const first = g.nodes[0];
    const podLabels = labels(env, g.group);
    const size = g.group === "zookeeper" ? k.storage.zookeeperSize : k.storage.size;
    const writable = writableMounts(k);
    const rack =
        k.rack.enabled && g.group === "kafka"
            ? rackInit(
                  k,
                  first.image,
                  writable.mounts.find((m) => m.mountPath === RUN_DIR)!,
              )
            : undefined;
    const kind = rulesKind(first);
    const metrics = extras.metrics;
    const beforeLaunch = [
        ...volumeCheckLines(first),
        ...(rack ? rackLaunchLines() : []),
        ...(metrics ? [...metricsLaunchLines(kind), ...agentLaunchLines(metrics.port, kind)] : []),
    ];
    const tls = first.security && settings.tlsGeneration !== undefined ? nodeTlsVolumes(env, g.group) : undefined;
    const initContainers = [
        k.storage.prepareVolumes ? prepareVolumesContainer(first) : undefined,
        writableDirsContainer(first.image, k),
        rack?.container,
    ].filter((c): c is k8s.types.input.core.v1.Container => c !== undefined);
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
                metadata: podMetadata(k, podLabels, {
                    [SETTINGS_HASH_ANNOTATION]: settings.hash,
                    ...(tls ? { [TLS_GENERATION_ANNOTATION]: settings.tlsGeneration! } : {}),
                }),
                spec: {
                    enableServiceLinks: false,
                    automountServiceAccountToken: false,
                    securityContext: podSecurityContext(),
                    terminationGracePeriodSeconds: 60,
                    ...spread(podLabels),
                    ...nodeScheduling(k, extras.serviceAccountName),
                    initContainers: initContainers.length > 0 ? initContainers : undefined,
                    containers: [
                        {
                            name: g.group,
                            image: first.image,
                            command: ["bash", "-c", nodeCommand(beforeLaunch, tls ? tlsCopyLines(g) : [])],
                            ports: containerPorts(g, metrics?.port),
                            resources: k.resources[g.workload],
                            securityContext: restrictedContainer(k.podSecurity.readOnlyRootFilesystem),
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
                                ...writable.mounts,
                                ...(tls?.mounts ?? []),
                                ...(metrics ? [{ name: METRICS_VOLUME, mountPath: METRICS_SOURCE_DIR, readOnly: true }] : []),
                            ],
                        },
                    ],
                    volumes: [
                        { name: "node-config", configMap: { name: settings.configMapName } },
                        ...writable.volumes,
                        ...(tls?.volumes ?? []),
                        ...(rack ? [rack.volume] : []),
                        ...(metrics ? [metrics.volume] : []),
                    ],
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

/** At most one node of a group down for voluntary disruptions (drains, upgrades). */
export function disruptionBudget(env: string, namespace: pulumi.Input<string>, g: NodeGroup): k8s.policy.v1.PodDisruptionBudgetArgs {
    return {
        metadata: meta(env, namespace, names.statefulSet(env, g.group), g.group),
        spec: { maxUnavailable: 1, selector: { matchLabels: labels(env, g.group) } },
    };
}
