/**
 * Kubernetes objects for the cluster model, as plain arguments: these functions build objects and
 * never apply them (Strimzi's `generate*` style); `cluster.ts` turns them into resources.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, KafkaUiModel, NodeModel } from "../model";
import { runImageCommand } from "../model/images";
import { shellQuote } from "../model/topicScript";
import { names, nodeGroup } from "./addressing";
import { ResolvedKubernetes, Workload } from "./config";

/** The user both Kafka image families run as: volumes are made group-writable for it. */
const IMAGE_GID = 1000;
/** Where each pod finds the per-node environment files. */
const NODE_CONFIG_DIR = "/etc/kafka-env";
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

function meta(env: string, namespace: pulumi.Input<string>, name: string, component: string) {
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

/** `export KEY='value'` lines, sorted: sourced by the pod before the image's own launcher. */
export function nodeEnvFile(node: NodeModel): string {
    return Object.entries(node.env)
        .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
        .join("\n")
        .concat("\n");
}

/** One env file per node; `text` fills in what is known only at deploy time (LoadBalancer addresses). */
export function nodeConfigMap(
    env: string,
    namespace: pulumi.Input<string>,
    model: ClusterModel,
    text: (content: string) => pulumi.Input<string> = (content) => content,
): k8s.core.v1.ConfigMapArgs {
    return {
        metadata: meta(env, namespace, `${env}-nodes`, "config"),
        data: Object.fromEntries(model.nodes.map((n) => [names.nodeEnvFile(n.name), text(nodeEnvFile(n))])),
    };
}

export function statefulSet(
    env: string,
    namespace: pulumi.Input<string>,
    g: NodeGroup,
    k: ResolvedKubernetes,
    configMapName: pulumi.Input<string>,
): k8s.apps.v1.StatefulSetArgs {
    const first = g.nodes[0];
    const podLabels = labels(env, g.group);
    // Pod <env>-kafka-2 is model node kafka-3: its id is its ordinal plus one.
    const envFile = `${NODE_CONFIG_DIR}/${g.group}-$(( \${HOSTNAME##*-} + 1 )).env`;
    const size = g.group === "zookeeper" ? k.storage.zookeeperSize : k.storage.size;
    return {
        metadata: meta(env, namespace, names.statefulSet(env, g.group), g.group),
        spec: {
            serviceName: names.headless(env, g.group),
            replicas: g.nodes.length,
            // Quorum members need each other to start: start them together, not one by one.
            podManagementPolicy: "Parallel",
            selector: { matchLabels: podLabels },
            template: {
                metadata: { labels: podLabels },
                spec: {
                    enableServiceLinks: false,
                    securityContext: { fsGroup: IMAGE_GID },
                    terminationGracePeriodSeconds: 60,
                    affinity: spreadAcrossNodes(podLabels),
                    containers: [
                        {
                            name: g.group,
                            image: first.image,
                            command: ["bash", "-c", runImageCommand(envFile)],
                            ports: containerPorts(g),
                            resources: k.resources[g.workload],
                            readinessProbe: {
                                exec: { command: ["bash", "-c", first.healthcheck] },
                                initialDelaySeconds: 15,
                                periodSeconds: 10,
                                timeoutSeconds: 15,
                                failureThreshold: 6,
                            },
                            livenessProbe: {
                                tcpSocket: { port: first.probePort },
                                initialDelaySeconds: 60,
                                periodSeconds: 20,
                                failureThreshold: 6,
                            },
                            volumeMounts: [
                                ...first.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
                                { name: "node-config", mountPath: NODE_CONFIG_DIR, readOnly: true },
                            ],
                        },
                    ],
                    volumes: [{ name: "node-config", configMap: { name: configMapName } }],
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
        metadata: meta(env, namespace, `${env}-kafka-ui`, "kafka-ui"),
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

/** A Job that runs `script` (the topic script) with the Kafka image's tools, inside the cluster. */
export function topicsJob(
    env: string,
    namespace: pulumi.Input<string>,
    image: string,
    script: string,
): k8s.batch.v1.JobArgs {
    return {
        metadata: meta(env, namespace, `${env}-topics`, "topics"),
        spec: {
            backoffLimit: 6,
            template: {
                metadata: { labels: labels(env, "topics") },
                spec: {
                    restartPolicy: "OnFailure",
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
