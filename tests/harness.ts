/**
 * What only the tests need beside the mocks runner (`tools/graph/mocks.ts`): the recorded resources
 * by type, the resource types the tests name, and a container's environment as a map.
 */
import type { Recorded } from "../tools/graph/mocks";

/** The recorded resources of one type, by name. */
export function byType(resources: readonly Recorded[], type: string): Map<string, Recorded> {
    return new Map(resources.filter((r) => r.type === type).map((r) => [r.name, r]));
}

export const TYPES = {
    container: "docker:index/container:Container",
    volume: "docker:index/volume:Volume",
    network: "docker:index/network:Network",
    image: "docker:index/remoteImage:RemoteImage",
    kafkaProvider: "pulumi:providers:kafka",
    rollGate: "pulumi-nodejs:dynamic/kafka-env:RollGate",
    brokerSet: "pulumi-nodejs:dynamic/kafka-env:BrokerSet",
    topic: "kafka:index/topic:Topic",
    k8sProvider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    configMap: "kubernetes:core/v1:ConfigMap",
    service: "kubernetes:core/v1:Service",
    secret: "kubernetes:core/v1:Secret",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    deployment: "kubernetes:apps/v1:Deployment",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    job: "kubernetes:batch/v1:Job",
    ready: "pulumi-nodejs:dynamic/kafka-env:WorkloadReady",
    reachable: "pulumi-nodejs:dynamic/kafka-env:BootstrapReachable",
} as const;

/** `["A=1","B=2"]` -> `{A: "1", B: "2"}`. */
export function envMap(envs: string[]): Record<string, string> {
    return Object.fromEntries(envs.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}
