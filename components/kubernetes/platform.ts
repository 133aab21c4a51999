/**
 * The settings a platform team sets on Kubernetes: Pod Security, NetworkPolicies, rack awareness,
 * where pods run and what they carry, and the Prometheus Operator's monitor. Declared, defaulted,
 * shape-checked and validated here; `config.ts` embeds them in `kafka-env:kubernetes`.
 */
import { Problem, show } from "../model";
import { Shape } from "../model/shape";

/** A Pod Security Standards level, or `none` for no label. */
export const PodSecurityLevel = { Restricted: "restricted", Baseline: "baseline", Privileged: "privileged", None: "none" } as const;
/** A Pod Security Standards level, or `none` for no label. */
export type PodSecurityLevel = (typeof PodSecurityLevel)[keyof typeof PodSecurityLevel];
/** The Prometheus Operator resource that scrapes the nodes, or `none`. */
export const MonitorKind = { None: "none", PodMonitor: "PodMonitor", ServiceMonitor: "ServiceMonitor" } as const;
/** The Prometheus Operator resource that scrapes the nodes, or `none`. */
export type MonitorKind = (typeof MonitorKind)[keyof typeof MonitorKind];

export interface PodSecurityConfig {
    /**
     * The Pod Security level the namespace kafka-env creates enforces (its
     * `pod-security.kubernetes.io/enforce` label); `none` sets no label. Not used with
     * `createNamespace: false`. Default: `restricted` (`baseline` with `storage.prepareVolumes`, whose root init container needs it).
     */
    enforce?: PodSecurityLevel;
    /**
     * Every container's root file system read-only; what the images write (`/tmp`, their
     * configuration and log directories) goes to an `emptyDir`. Default: true.
     */
    readOnlyRootFilesystem?: boolean;
}

export interface NetworkPolicyConfig {
    /** NetworkPolicies for every pod kafka-env runs (ingress only; egress is left open). Default: true. */
    enabled?: boolean;
    /** Namespaces whose pods may reach the brokers' client listener (the cluster's own namespace always may). Default: none. */
    clientNamespaces?: string[];
    /** Address ranges (CIDR) that may reach the brokers' client listener. Default: none. */
    clientCidrs?: string[];
    /** Namespaces whose pods may reach kafka-ui (the cluster's own namespace always may). Default: none. */
    kafkaUiNamespaces?: string[];
    /** Address ranges (CIDR) that may reach kafka-ui. Default: none. */
    kafkaUiCidrs?: string[];
    /** Namespaces whose pods may scrape the nodes' `metrics` port, such as Prometheus's (the cluster's own namespace always may). Default: none. */
    metricsNamespaces?: string[];
}

export interface RackConfig {
    /**
     * Set each broker's `broker.rack` from a label of the node its pod runs on, read at start by an
     * init container (with a ServiceAccount allowed to get nodes: a ClusterRole and its binding). Default: false.
     */
    enabled?: boolean;
    /** The node label that names the broker's rack. Default: `topology.kubernetes.io/zone`. */
    topologyKey?: string;
    /** The init container's image: one with `bash` or `sh` and `kubectl` or `curl`. Default: the brokers' image. */
    image?: string;
    /** Let consumers fetch from the closest replica (`replica.selector.class` RackAwareReplicaSelector; clients set `client.rack`). Default: false. */
    closestReplicaFetching?: boolean;
}

export interface Toleration {
    /** The taint key. Default: any key (with operator `Exists`). */
    key?: string;
    /** `Equal` or `Exists`. Default: `Equal`. */
    operator?: string;
    /** The taint value, with `Equal`. Default: none. */
    value?: string;
    /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. Default: every effect. */
    effect?: string;
    /** With `NoExecute`: seconds the pod stays once tainted. Default: forever. */
    tolerationSeconds?: number;
}

export interface PodsConfig {
    /** Node labels every kafka-env pod's node must have. Default: none. */
    nodeSelector?: Record<string, string>;
    /** Taints every kafka-env pod tolerates. Default: none. */
    tolerations?: Toleration[];
    /** PriorityClass of the nodes' pods (ZooKeeper, controllers, brokers). Default: none (the cluster's default). */
    priorityClassName?: string;
    /** ServiceAccount of the nodes' pods. Default: the namespace's `default`, or kafka-env's own with `rack.enabled`. */
    serviceAccountName?: string;
    /** Secrets holding registry credentials, for every kafka-env pod. Default: none. */
    imagePullSecrets?: string[];
    /** Extra labels on every kafka-env pod (not `app.kubernetes.io/*`, which the selectors use). Default: none. */
    labels?: Record<string, string>;
    /** Extra annotations on every kafka-env pod. Default: none. */
    annotations?: Record<string, string>;
}

export interface MonitoringConfig {
    /** A Prometheus Operator `PodMonitor` or `ServiceMonitor` for the nodes' metrics (needs `cluster.metrics.enabled` and the operator's CRDs). Default: `none`. */
    monitor?: MonitorKind;
    /** Labels on the monitor, for the Prometheus that selects monitors by label (e.g. `release: prometheus`). Default: none. */
    labels?: Record<string, string>;
}

export interface ResolvedPlatform {
    readonly podSecurity: { readonly enforce: PodSecurityLevel; readonly readOnlyRootFilesystem: boolean };
    readonly networkPolicy: {
        readonly enabled: boolean;
        readonly clientNamespaces: readonly string[];
        readonly clientCidrs: readonly string[];
        readonly kafkaUiNamespaces: readonly string[];
        readonly kafkaUiCidrs: readonly string[];
        readonly metricsNamespaces: readonly string[];
    };
    readonly rack: { readonly enabled: boolean; readonly topologyKey: string; readonly image?: string; readonly closestReplicaFetching: boolean };
    readonly pods: {
        readonly nodeSelector: Readonly<Record<string, string>>;
        readonly tolerations: readonly Toleration[];
        readonly priorityClassName?: string;
        readonly serviceAccountName?: string;
        readonly imagePullSecrets: readonly string[];
        readonly labels: Readonly<Record<string, string>>;
        readonly annotations: Readonly<Record<string, string>>;
    };
    readonly monitoring: { readonly monitor: MonitorKind; readonly labels: Readonly<Record<string, string>> };
}

export const PLATFORM_DEFAULTS = {
    podSecurity: { readOnlyRootFilesystem: true },
    networkPolicy: { enabled: true },
    rack: { enabled: false, topologyKey: "topology.kubernetes.io/zone", closestReplicaFetching: false },
    monitoring: { monitor: "none" as MonitorKind },
};

/** The broker property that lets consumers fetch from the closest replica. */
export const RACK_AWARE_SELECTOR = { "replica.selector.class": "org.apache.kafka.common.replica.RackAwareReplicaSelector" } as const;

const str = (oneOf?: readonly string[]): Shape => ({ kind: "string", oneOf });
const bool: Shape = { kind: "boolean" };
const strings: Shape = { kind: "list", of: { kind: "string" } };
const stringMap: Shape = { kind: "stringMap" };

export const PLATFORM_SHAPES: Readonly<Record<string, Shape>> = {
    podSecurity: { kind: "object", fields: { enforce: str(["restricted", "baseline", "privileged", "none"]), readOnlyRootFilesystem: bool } },
    networkPolicy: {
        kind: "object",
        fields: {
            enabled: bool,
            clientNamespaces: strings,
            clientCidrs: strings,
            kafkaUiNamespaces: strings,
            kafkaUiCidrs: strings,
            metricsNamespaces: strings,
        },
    },
    rack: { kind: "object", fields: { enabled: bool, topologyKey: str(), image: str(), closestReplicaFetching: bool } },
    pods: {
        kind: "object",
        fields: {
            nodeSelector: stringMap,
            tolerations: {
                kind: "list",
                of: {
                    kind: "object",
                    fields: {
                        key: str(),
                        operator: str(["Equal", "Exists"]),
                        value: str(),
                        effect: str(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
                        tolerationSeconds: { kind: "integer", min: 0 },
                    },
                },
            },
            priorityClassName: str(),
            serviceAccountName: str(),
            imagePullSecrets: strings,
            labels: stringMap,
            annotations: stringMap,
        },
    },
    monitoring: { kind: "object", fields: { monitor: str(["none", "PodMonitor", "ServiceMonitor"]), labels: stringMap } },
};

export interface PlatformConfig {
    /** Pod Security: every container runs as the image's user, without privileges, capabilities or a writable root. */
    podSecurity?: PodSecurityConfig;
    /** NetworkPolicies: which pods and addresses reach which port. */
    networkPolicy?: NetworkPolicyConfig;
    /** Rack awareness: `broker.rack` from the zone of the node each broker runs on. */
    rack?: RackConfig;
    /** Where kafka-env's pods run and what they carry. */
    pods?: PodsConfig;
    /** The Prometheus Operator's objects for `cluster.metrics`. */
    monitoring?: MonitoringConfig;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;
/** The labels kafka-env's selectors use: a pod label of the same key would break them. */
const SELECTOR_LABEL_PREFIX = "app.kubernetes.io/";

/** Defaults and checks the platform settings; `prepareVolumes` decides the default Pod Security level. */
export function resolvePlatform(k: PlatformConfig, prepareVolumes: boolean): { platform: ResolvedPlatform; problems: Problem[] } {
    const np = k.networkPolicy ?? {};
    const pods = k.pods ?? {};
    const platform: ResolvedPlatform = {
        podSecurity: {
            enforce: k.podSecurity?.enforce ?? (prepareVolumes ? "baseline" : "restricted"),
            readOnlyRootFilesystem: k.podSecurity?.readOnlyRootFilesystem ?? PLATFORM_DEFAULTS.podSecurity.readOnlyRootFilesystem,
        },
        networkPolicy: {
            enabled: np.enabled ?? PLATFORM_DEFAULTS.networkPolicy.enabled,
            clientNamespaces: [...(np.clientNamespaces ?? [])].sort(),
            clientCidrs: [...(np.clientCidrs ?? [])].sort(),
            kafkaUiNamespaces: [...(np.kafkaUiNamespaces ?? [])].sort(),
            kafkaUiCidrs: [...(np.kafkaUiCidrs ?? [])].sort(),
            metricsNamespaces: [...(np.metricsNamespaces ?? [])].sort(),
        },
        rack: {
            enabled: k.rack?.enabled ?? PLATFORM_DEFAULTS.rack.enabled,
            topologyKey: k.rack?.topologyKey ?? PLATFORM_DEFAULTS.rack.topologyKey,
            image: k.rack?.image,
            closestReplicaFetching: k.rack?.closestReplicaFetching ?? PLATFORM_DEFAULTS.rack.closestReplicaFetching,
        },
        pods: {
            nodeSelector: sorted(pods.nodeSelector),
            tolerations: pods.tolerations ?? [],
            priorityClassName: pods.priorityClassName,
            serviceAccountName: pods.serviceAccountName,
            imagePullSecrets: pods.imagePullSecrets ?? [],
            labels: sorted(pods.labels),
            annotations: sorted(pods.annotations),
        },
        monitoring: { monitor: k.monitoring?.monitor ?? PLATFORM_DEFAULTS.monitoring.monitor, labels: sorted(k.monitoring?.labels) },
    };
    return { platform, problems: platformProblems(platform, prepareVolumes) };
}

function platformProblems(p: ResolvedPlatform, prepareVolumes: boolean): Problem[] {
    const problems: Problem[] = [];
    const add = (path: string, message: string) => problems.push({ path: `kubernetes.${path}`, message });
    if (prepareVolumes && p.podSecurity.enforce === "restricted") {
        add(
            "podSecurity.enforce",
            'is "restricted", which refuses the root init container of storage.prepareVolumes: set enforce to "baseline", or prepareVolumes to false with a StorageClass that applies fsGroup',
        );
    }
    const np = p.networkPolicy;
    for (const key of ["clientNamespaces", "kafkaUiNamespaces", "metricsNamespaces"] as const) {
        np[key].forEach((ns, i) => {
            if (!DNS_LABEL.test(ns) || ns.length > 63)
                add(`networkPolicy.${key}[${i}]`, `is ${show(ns)}; a namespace is at most 63 lower-case letters, digits and '-'`);
        });
    }
    for (const key of ["clientCidrs", "kafkaUiCidrs"] as const) {
        np[key].forEach((cidr, i) => {
            if (!CIDR.test(cidr)) add(`networkPolicy.${key}[${i}]`, `is ${show(cidr)}; write an address range such as "10.0.0.0/8"`);
        });
    }
    for (const key of Object.keys(p.pods.labels)) {
        if (key.startsWith(SELECTOR_LABEL_PREFIX))
            add(`pods.labels["${key}"]`, `is a label kafka-env's selectors use (${SELECTOR_LABEL_PREFIX}*); choose another key`);
    }
    return problems;
}

function sorted(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
    return Object.fromEntries(Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
