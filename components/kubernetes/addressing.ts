/**
 * How nodes are reached on Kubernetes. Model node `kafka-3` is pod `<env>-kafka-2` (ordinal 2) of
 * the StatefulSet `<env>-kafka`, at `<env>-kafka-2.<env>-kafka-headless.<ns>.svc.<domain>`.
 * Outside clients reach each broker through its own Service (NodePort or LoadBalancer).
 */
import { Addressing, ResolvedConfig } from "../model";
import { ResolvedKubernetes } from "./config";

/** `kafka-3` -> group `kafka`, ordinal 2: node ids and StatefulSet ordinals differ by one. */
export function nodeGroup(nodeName: string): { group: string; ordinal: number } {
    const dash = nodeName.lastIndexOf("-");
    return { group: nodeName.slice(0, dash), ordinal: Number(nodeName.slice(dash + 1)) - 1 };
}

export const names = {
    statefulSet: (env: string, group: string) => `${env}-${group}`,
    headless: (env: string, group: string) => `${env}-${group}-headless`,
    pod: (env: string, nodeName: string) => {
        const { group, ordinal } = nodeGroup(nodeName);
        return `${env}-${group}-${ordinal}`;
    },
    externalService: (env: string, nodeName: string) => `${env}-${nodeName}-external`,
    /** One Service in front of every broker, as Strimzi's `<cluster>-kafka-bootstrap`. */
    bootstrapService: (env: string) => `${env}-kafka-bootstrap`,
};

/** Stands for broker `index`'s LoadBalancer address until the Service has one. */
export function loadBalancerPlaceholder(index: number): string {
    return `__kafka_env_lb_${index}__`;
}

/** `a.b.c.d` -> `a`, `a.b`, `a.b.c`: the shorter forms a name resolves by in the pod's DNS search path. */
function shorterForms(fqdn: string, keep: number): string[] {
    const parts = fqdn.split(".");
    return parts.slice(0, parts.length - keep).map((_, i) => parts.slice(0, i + 1).join("."));
}

export function kubernetesAddressing(c: ResolvedConfig, k: ResolvedKubernetes): Addressing {
    const env = c.name;
    const ext = k.external;
    const bootstrapHost = `${names.bootstrapService(env)}.${k.namespace}.svc.${k.clusterDomain}`;
    const domainParts = k.clusterDomain.split(".").length;
    const internalHost = (name: string) => `${names.pod(env, name)}.${names.headless(env, nodeGroup(name).group)}.${k.namespace}.svc.${k.clusterDomain}`;
    return {
        // The pod's shorter DNS forms; a broker's also the bootstrap Service's, where clients connect first.
        aliases: (name) => {
            const pod = shorterForms(internalHost(name), domainParts);
            return nodeGroup(name).group === "kafka" ? [...pod, bootstrapHost, ...shorterForms(bootstrapHost, domainParts)] : pod;
        },
        bootstrapHost: () => bootstrapHost,
        internalHost,
        external: (index) => {
            const containerPort = c.listeners.externalPort;
            switch (ext.type) {
                case "none":
                    return undefined;
                case "NodePort":
                    return { host: ext.advertisedHost ?? "", port: ext.nodePortBase + index, containerPort };
                case "LoadBalancer":
                    return { host: loadBalancerPlaceholder(index), port: containerPort, containerPort };
            }
        },
    };
}
