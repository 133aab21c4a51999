/**
 * Kubernetes objects for the cluster model, as plain arguments: these functions build objects and
 * never apply them (Strimzi's `generate*` style); `cluster.ts` turns them into resources.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, KafkaUiModel, NodeModel } from "../model";
import { kafkaCheckTool, runImageCommand } from "../model/images";
import { groupTemplates, templateSelection } from "../model/nodeTemplates";
import { shellQuote } from "../model/topicScript";
import { names, nodeGroup } from "./addressing";
import { ResolvedKubernetes, Workload } from "./config";

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

export function labels(env: string, component: string): Record<string, string> {
    return {
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/instance": env,
        "app.kubernetes.io/name": component === "zookeeper" ? "zookeeper" : component === "kafka-ui" ? "kafka-ui" : "kafka",
        "app.kubernetes.io/part-of": "kafka-env",
    };
}

function meta(env: string, namespace: pulumi.Input<string>, name: pulumi.Input<string>, component: string) {
    return { name, namespace, labels: labels(env, component) };
}

/** Every container port a group's nodes listen on, named, in a stable order. */
function containerPorts(g: NodeGroup): k8s.types.input.core.v1.ContainerPort[] {
    if (g.group === "zookeeper") {
        return [{ name: "client", containerPort: g.nodes[0].probePort }, ...ZOOKEEPER_PEER_PORTS];
    }
    const byName = new Map<string, number>();
    for (const n of g.nodes) for (const l of n.listeners) byName.set(l.name.toLowerCase(), l.port);
    const order = ["internal", "external", "controller"];
    return order.filter((n) => byName.has(n)).map((name) => ({ name, containerPort: byName.get(name)! }));
}

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
/** The `WorkloadReady` waiter does the waiting (and explains failures); the provider does not. */
const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

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

/**
 * A broker is ready when it answers and is caught up: it is in the ISR of every partition it
 * holds a replica of (a restarted broker is not ready while it copies what it missed, so a roll
 * waits for it before restarting the next). Other nodes use the model's healthcheck.
 */
export function readinessCommand(node: NodeModel): string {
    if (!node.roles.includes("broker")) return node.healthcheck;
    const port = node.listeners.find((l) => l.name === "INTERNAL")!.port;
    return [
        // This pod's node id: ordinal + the group's first id.
        `me=$(( \${HOSTNAME##*-} + ${node.id} ))`,
        `out=$(${kafkaCheckTool("kafka-topics", `--bootstrap-server localhost:${port} --describe --under-replicated-partitions`)}) || exit 1`,
        "lagging=0",
        "while IFS= read -r line; do",
        '  case $line in *"Replicas: "*) ;; *) continue ;; esac',
        "  r=${line#*Replicas: }; r=${r%%[[:space:]]*}; i=${line#*Isr: }; i=${i%%[[:space:]]*}",
        '  case ",$r," in *",$me,"*) case ",$i," in *",$me,"*) ;; *) echo "not in sync: $line"; lagging=1 ;; esac ;; esac',
        'done <<< "$out"',
        'exit "$lagging"',
    ].join("\n");
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
    return {
        metadata: meta(env, namespace, names.externalService(env, broker.name), "kafka"),
        spec: {
            type: k.external.type,
            selector: { "statefulset.kubernetes.io/pod-name": names.pod(env, broker.name) },
            ports: [{ name: "external", port: external.port, targetPort: external.port, ...nodePort }],
        },
    };
}

export function kafkaUiDeployment(
    env: string,
    namespace: pulumi.Input<string>,
    ui: KafkaUiModel,
    k: ResolvedKubernetes,
    passwordSecret?: pulumi.Input<string>,
): k8s.apps.v1.DeploymentArgs {
    const podLabels = labels(env, "kafka-ui");
    const envVars: k8s.types.input.core.v1.EnvVar[] = Object.entries(ui.env).map(([name, value]) => ({ name, value }));
    if (passwordSecret !== undefined) {
        envVars.push({ name: "SPRING_SECURITY_USER_PASSWORD", valueFrom: { secretKeyRef: { name: passwordSecret, key: "password" } } });
    }
    return {
        metadata: { ...meta(env, namespace, `${env}-kafka-ui`, "kafka-ui"), annotations: SKIP_AWAIT },
        spec: {
            replicas: 1,
            selector: { matchLabels: podLabels },
            template: {
                metadata: { labels: podLabels },
                spec: {
                    enableServiceLinks: false,
                    containers: [
                        {
                            name: "kafka-ui",
                            image: ui.image,
                            env: envVars,
                            ports: [{ name: "http", containerPort: ui.port }],
                            resources: k.resources.kafkaUi,
                            readinessProbe: { httpGet: { path: "/actuator/health", port: "http" }, initialDelaySeconds: 20, periodSeconds: 10 },
                            livenessProbe: { tcpSocket: { port: "http" }, initialDelaySeconds: 60, periodSeconds: 20 },
                        },
                    ],
                },
            },
        },
    };
}

export function kafkaUiService(env: string, namespace: pulumi.Input<string>, ui: KafkaUiModel): k8s.core.v1.ServiceArgs {
    return {
        metadata: meta(env, namespace, `${env}-kafka-ui`, "kafka-ui"),
        spec: { selector: labels(env, "kafka-ui"), ports: [{ name: "http", port: ui.port, targetPort: "http" }] },
    };
}

/** The topic script's exit code for a refused change (see `topicScript`): the Job fails at once, no retry. */
export const TOPICS_REFUSED_EXIT_CODE = 3;

/** The topics Job's name: versioned by what it runs, like the settings ConfigMaps. */
export function topicsJobName(env: string, image: string, script: string): string {
    return `${env}-topics-${settingsHash({ image, script })}`;
}

/**
 * A Job that runs `script` (the topic script) with the Kafka image's tools, inside the cluster.
 * Its template is immutable, so a changed topic list is a new Job: named after its content, the
 * new one is created (and waited for) before the old one is deleted. A fixed name would need the
 * old Job deleted first, and a delete that is not awaited races the create.
 */
export function topicsJob(env: string, namespace: pulumi.Input<string>, image: string, script: string): k8s.batch.v1.JobArgs {
    return {
        metadata: { ...meta(env, namespace, topicsJobName(env, image, script), "topics"), annotations: SKIP_AWAIT },
        spec: {
            backoffLimit: 4,
            // Retrying cannot help a refusal (a partition decrease): fail the Job on that exit code.
            podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { containerName: "topics", operator: "In", values: [TOPICS_REFUSED_EXIT_CODE] } }] },
            template: {
                metadata: { labels: labels(env, "topics") },
                spec: {
                    restartPolicy: "Never",
                    enableServiceLinks: false,
                    containers: [
                        {
                            name: "topics",
                            image,
                            command: ["bash", "-c", script],
                            env: [{ name: "KAFKA_HEAP_OPTS", value: "-Xmx256m" }],
                            resources: { requests: { cpu: "100m", memory: "384Mi" }, limits: { memory: "384Mi" } },
                        },
                    ],
                },
            },
        },
    };
}
