/**
 * Kubernetes-only settings: `kafka-env:namespace` and `kafka-env:kubernetes`. Shape-checked,
 * defaulted and validated like the cluster config, and reported together with it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Problem, show } from "../model";
import { Shape, checkShape } from "../model/shape";
import { withoutOutputs } from "./inputs";
import { CIDR, PLATFORM_DEFAULTS, PLATFORM_SHAPES, PlatformConfig, ResolvedPlatform, resolvePlatform } from "./platform";
import { QUANTITY, Resources, Workload, requestsWithinLimits } from "./resources";

export type { Resources, Workload } from "./resources";

/** How clients outside the Kubernetes cluster reach the brokers. */
export const ExternalType = { None: "none", NodePort: "NodePort", LoadBalancer: "LoadBalancer" } as const;
/** How clients outside the Kubernetes cluster reach the brokers. */
export type ExternalType = (typeof ExternalType)[keyof typeof ExternalType];
/** How topics are managed on Kubernetes. */
export const TopicsVia = { Job: "job", Provider: "provider" } as const;
/** How topics are managed on Kubernetes. */
export type TopicsVia = (typeof TopicsVia)[keyof typeof TopicsVia];

export interface KubernetesConfig extends PlatformConfig {
    /** Create the namespace. Set false to deploy into an existing one. Default: true. */
    createNamespace?: boolean;
    /** Path to, or contents of, a kubeconfig. Default: the provider's (KUBECONFIG or ~/.kube/config). */
    kubeconfig?: pulumi.Input<string>;
    /** kubeconfig context. Default: the kubeconfig's current context. */
    context?: pulumi.Input<string>;
    /** Cluster DNS domain in pod addresses. Default: `cluster.local`. */
    clusterDomain?: string;
    /** Persistent volumes: one claim per node, from the StatefulSets' volume claim templates. */
    storage?: StorageConfig;
    /** Seconds `pulumi up` waits for a group's pods to be ready (or the topics Job to finish) before failing with their state and logs. Default: 600. */
    readyTimeoutSeconds?: number;
    /**
     * Requests and limits per workload (Kubernetes quantities), merged over `KUBERNETES_DEFAULTS`: a
     * limit set alone keeps the default request, which must not be above it. A JVM workload's heap
     * (`-Xmx`) may take at most 75% of its memory limit (`HEAP_SHARE_OF_LIMIT`).
     */
    resources?: WorkloadResourcesConfig;
    /** Access from outside the cluster, one Service per broker. */
    external?: ExternalConfig;
    /** How topics are managed: `job` (an in-cluster Job) or `provider` (@pulumi/kafka from where pulumi runs). Default: `job`. */
    topics?: TopicsVia;
    /** Write manifests to this directory instead of applying them (offline review). Default: unset (apply). */
    renderDirectory?: string;
}

/** Persistent volumes: one claim per node, from the StatefulSets' volume claim templates. */
export interface StorageConfig {
    /** Each Kafka node's data volume (a Kubernetes quantity). Default: `10Gi`. */
    size?: string;
    /** Each ZooKeeper node's data volume. Default: `2Gi`. */
    zookeeperSize?: string;
    /** The claims' StorageClass. Default: the cluster's default StorageClass. */
    storageClass?: pulumi.Input<string>;
    /**
     * An init container, running as root (with only the CHOWN and FOWNER capabilities), makes
     * each data directory the image user's before the node starts, for volume types that ignore
     * `fsGroup` and are not writable to all (hostPath, some NFS provisioners). Pod Security
     * `restricted` refuses it: it needs `podSecurity.enforce` `baseline`. Without it, a node whose
     * data directory is not writable stops at once, naming the pod, the directory and this
     * setting. Default: false.
     */
    prepareVolumes?: boolean;
}

/** Requests and limits of one workload's containers (Kubernetes quantities by resource name). */
export interface ResourcesConfig {
    /** Requests, such as `cpu: "250m"`, `memory: "1Gi"`. Default: the workload's in `KUBERNETES_DEFAULTS`. */
    requests?: Record<string, string>;
    /** Limits, such as `memory: "1Gi"`. Default: the workload's in `KUBERNETES_DEFAULTS`. */
    limits?: Record<string, string>;
}

/** Requests and limits per workload, each merged over its defaults. */
export interface WorkloadResourcesConfig {
    /** The brokers (and combined broker-controllers). */
    kafka?: ResourcesConfig;
    /** Dedicated KRaft controllers. */
    controller?: ResourcesConfig;
    /** ZooKeeper nodes. */
    zookeeper?: ResourcesConfig;
    /** kafka-ui. */
    kafkaUi?: ResourcesConfig;
}

/** Access from outside the cluster, one Service per broker. */
export interface ExternalConfig {
    /** `none` (inside the cluster only), `NodePort` or `LoadBalancer`. Default: `none`. */
    type?: ExternalType;
    /** With `NodePort`: the node address (or a name for all nodes) that outside clients reach. Default: none. */
    advertisedHost?: string;
    /** With `NodePort`: broker N gets node port `nodePortBase + N - 1`. Default: 30092. */
    nodePortBase?: number;
    /** Annotations on each broker's Service (a cloud's LoadBalancer settings: internal, TLS, ...). Default: none. */
    annotations?: Record<string, string>;
    /**
     * Address ranges (CIDR) that may reach the external listener: the NetworkPolicy's, and with
     * `LoadBalancer` the Services' `loadBalancerSourceRanges`. Default: anywhere.
     */
    sourceRanges?: string[];
}

export interface ResolvedKubernetes extends ResolvedPlatform {
    readonly namespace: string;
    readonly createNamespace: boolean;
    readonly kubeconfig?: pulumi.Input<string>;
    readonly context?: pulumi.Input<string>;
    readonly clusterDomain: string;
    readonly storage: { readonly size: string; readonly zookeeperSize: string; readonly storageClass?: pulumi.Input<string>; readonly prepareVolumes: boolean };
    readonly readyTimeoutSeconds: number;
    readonly resources: Readonly<Record<Workload, Resources>>;
    readonly external: {
        readonly type: ExternalType;
        readonly advertisedHost?: string;
        readonly nodePortBase: number;
        readonly annotations: Readonly<Record<string, string>>;
        /** Empty: anywhere. */
        readonly sourceRanges: readonly string[];
    };
    readonly topics: TopicsVia;
    readonly renderDirectory?: string;
}

export const KUBERNETES_DEFAULTS = {
    namespace: "kafka",
    createNamespace: true,
    clusterDomain: "cluster.local",
    storage: { size: "10Gi", zookeeperSize: "2Gi", prepareVolumes: false },
    readyTimeoutSeconds: 600,
    /** No CPU limits (throttling hurts brokers); memory limits leave room above the heap. */
    resources: {
        kafka: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
        controller: { requests: { cpu: "100m", memory: "768Mi" }, limits: { memory: "768Mi" } },
        zookeeper: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "512Mi" } },
        kafkaUi: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "768Mi" } },
    } satisfies Record<Workload, Resources>,
    external: { type: "none" as ExternalType, nodePortBase: 30092 },
    topics: "job" as TopicsVia,
    ...PLATFORM_DEFAULTS,
};

const requestsAndLimits: Shape = { kind: "object", fields: { requests: { kind: "stringMap" }, limits: { kind: "stringMap" } } };

export const KUBERNETES_SHAPE: Shape = {
    kind: "object",
    fields: {
        createNamespace: { kind: "boolean" },
        kubeconfig: { kind: "string" },
        context: { kind: "string" },
        clusterDomain: { kind: "string" },
        storage: {
            kind: "object",
            fields: { size: { kind: "string" }, zookeeperSize: { kind: "string" }, storageClass: { kind: "string" }, prepareVolumes: { kind: "boolean" } },
        },
        readyTimeoutSeconds: { kind: "integer", min: 30, max: 7200 },
        resources: {
            kind: "object",
            fields: { kafka: requestsAndLimits, controller: requestsAndLimits, zookeeper: requestsAndLimits, kafkaUi: requestsAndLimits },
        },
        external: {
            kind: "object",
            fields: {
                type: { kind: "string", oneOf: ["none", "NodePort", "LoadBalancer"] },
                advertisedHost: { kind: "string" },
                nodePortBase: { kind: "integer", min: 30000, max: 32767 },
                annotations: { kind: "stringMap" },
                sourceRanges: { kind: "list", of: { kind: "string" } },
            },
        },
        topics: { kind: "string", oneOf: ["job", "provider"] },
        renderDirectory: { kind: "string" },
        ...PLATFORM_SHAPES,
    },
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Shape-checks, defaults and validates; `brokers` bounds the NodePort range. */
export function resolveKubernetes(namespace: unknown, raw: unknown, brokers: number): { config: ResolvedKubernetes; problems: Problem[] } {
    const { plain, inputs } = withoutOutputs(raw);
    const shape = checkShape(plain ?? {}, KUBERNETES_SHAPE, "kubernetes");
    const problems = [...shape.problems];
    const k: KubernetesConfig = { ...((shape.value ?? {}) as KubernetesConfig), ...inputs.top };
    if (inputs.storageClass !== undefined) k.storage = { ...k.storage, storageClass: inputs.storageClass };
    const ns = typeof namespace === "string" ? namespace : KUBERNETES_DEFAULTS.namespace;
    const r = k.resources ?? {};
    const merge = (w: Workload): Resources => {
        const d: Resources = KUBERNETES_DEFAULTS.resources[w];
        return { requests: { ...d.requests, ...r[w]?.requests }, limits: { ...d.limits, ...r[w]?.limits } };
    };
    const resources: Record<Workload, Resources> = {
        kafka: merge("kafka"),
        controller: merge("controller"),
        zookeeper: merge("zookeeper"),
        kafkaUi: merge("kafkaUi"),
    };
    const prepareVolumes = k.storage?.prepareVolumes ?? KUBERNETES_DEFAULTS.storage.prepareVolumes;
    const { platform, problems: platformProblems } = resolvePlatform(k, prepareVolumes);
    problems.push(...platformProblems);
    const config: ResolvedKubernetes = {
        ...platform,
        namespace: ns,
        createNamespace: k.createNamespace ?? KUBERNETES_DEFAULTS.createNamespace,
        kubeconfig: k.kubeconfig,
        context: k.context,
        clusterDomain: k.clusterDomain ?? KUBERNETES_DEFAULTS.clusterDomain,
        storage: {
            size: k.storage?.size ?? KUBERNETES_DEFAULTS.storage.size,
            zookeeperSize: k.storage?.zookeeperSize ?? KUBERNETES_DEFAULTS.storage.zookeeperSize,
            storageClass: k.storage?.storageClass,
            prepareVolumes,
        },
        readyTimeoutSeconds: k.readyTimeoutSeconds ?? KUBERNETES_DEFAULTS.readyTimeoutSeconds,
        resources,
        external: {
            type: k.external?.type ?? KUBERNETES_DEFAULTS.external.type,
            advertisedHost: k.external?.advertisedHost,
            nodePortBase: k.external?.nodePortBase ?? KUBERNETES_DEFAULTS.external.nodePortBase,
            annotations: Object.fromEntries(Object.entries(k.external?.annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
            sourceRanges: [...(k.external?.sourceRanges ?? [])].sort(),
        },
        topics: k.topics ?? KUBERNETES_DEFAULTS.topics,
        renderDirectory: k.renderDirectory,
    };

    const add = (path: string, message: string) => problems.push({ path, message });
    if (namespace !== undefined && typeof namespace !== "string") add("namespace", `is ${show(namespace)} but must be a string`);
    if (!DNS_LABEL.test(ns) || ns.length > 63) add("namespace", `is ${show(ns)}; a namespace is at most 63 lower-case letters, digits and '-'`);
    for (const [path, q] of [
        ["storage.size", config.storage.size],
        ["storage.zookeeperSize", config.storage.zookeeperSize],
    ] as const) {
        if (!QUANTITY.test(q)) add(`kubernetes.${path}`, `is ${show(q)}; use a quantity such as "10Gi"`);
    }
    for (const [w, res] of Object.entries(resources)) {
        for (const [kind, map] of Object.entries(res)) {
            for (const [name, q] of Object.entries(map as Record<string, string>)) {
                const path = `kubernetes.resources.${w}.${kind}.${name}`;
                if (!QUANTITY.test(q)) add(path, `is ${show(q)}; use a quantity such as "500m" or "1Gi"`);
                else if (name === "memory" && q.endsWith("m"))
                    add(path, `is ${show(q)}, which Kubernetes reads as thousandths of a byte; write ${show(`${q.slice(0, -1)}Mi`)}`);
            }
        }
        problems.push(...requestsWithinLimits(w, res));
    }
    const ext = config.external;
    if (ext.type === "NodePort" && !ext.advertisedHost) {
        add(
            "kubernetes.external.advertisedHost",
            "is required with type NodePort: the address of a node (or a name for all nodes) that clients outside the cluster reach",
        );
    }
    if (ext.type === "NodePort" && ext.nodePortBase + brokers - 1 > 32767) {
        add(
            "kubernetes.external.nodePortBase",
            `is ${ext.nodePortBase}; with ${brokers} brokers the last node port would be ${ext.nodePortBase + brokers - 1}, above 32767`,
        );
    }
    ext.sourceRanges.forEach((cidr, i) => {
        if (!CIDR.test(cidr)) add(`kubernetes.external.sourceRanges[${i}]`, `is ${show(cidr)}; write an address range such as "203.0.113.0/24"`);
    });
    if (config.topics === "provider" && config.renderDirectory !== undefined) {
        add("kubernetes.topics", 'is "provider", but with renderDirectory nothing is applied and no broker can be reached; use "job"');
    }
    if (ext.type === "LoadBalancer" && config.renderDirectory !== undefined) {
        add(
            "kubernetes.external.type",
            'is LoadBalancer, whose addresses exist only once applied; renderDirectory cannot render them: use NodePort or "none" to render',
        );
    }
    return { config, problems };
}
