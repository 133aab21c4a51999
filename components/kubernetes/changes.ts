/**
 * What a change of a Kubernetes setting (`kafka-env:namespace`, `kafka-env:kubernetes`) does to a
 * running environment, in the terms of `components/model/verdict.ts`.
 */
import { NodeRestart } from "../model/restarts";
import { authenticated } from "../model/securityRisks";
import { ChangeContext, Verdict, dangerous, restart, restartsFor, safe, withRestarts } from "../model/verdict";
import { loadBalancerPlaceholder } from "./addressing";

/** Which model nodes run in each workload's pods. */
const WORKLOAD_NODES: Readonly<Record<string, (r: Pick<NodeRestart, "roles">) => boolean>> = {
    kafka: (n) => n.roles.includes("broker"),
    controller: (n) => n.roles.length === 1 && n.roles[0] === "controller",
    zookeeper: (n) => n.roles.includes("zookeeper"),
};

/** The verdict on `namespace` or `kubernetes.<...>`. */
export function kubernetesVerdict(c: ChangeContext, path: string, before: unknown, after: unknown): Verdict {
    if (path === "namespace")
        return dangerous("every object moves to another namespace: a new cluster with new volumes is created, and the old one is deleted with its data");
    const key = path.slice("kubernetes.".length);
    if (key === "createNamespace") {
        return after
            ? safe("the namespace is created (the apply fails if it exists already)")
            : dangerous("the Namespace leaves the program: pulumi deletes it, and Kubernetes deletes everything in it");
    }
    if (key === "kubeconfig" || key === "context")
        return dangerous("the provider points elsewhere: if that is another cluster, every object is created there and deleted here, with its data");
    if (key === "topics") {
        return after === "job"
            ? dangerous("the kafka:Topic resources leave the program: the provider deletes those topics and their data (protected topics stop pulumi up)")
            : safe("topics are managed by @pulumi/kafka from where pulumi runs: the brokers must be reachable from there");
    }
    if (key === "renderDirectory") return safe(after === undefined ? "manifests are applied again" : "manifests are written to files instead of applied");
    if (key.startsWith("storage.")) {
        return dangerous(
            "volumeClaimTemplates cannot change: the StatefulSets are replaced (their pods stop at once), and existing volumes keep their old size and class",
        );
    }
    if (key.startsWith("external.")) return externalVerdict(c, key, after);
    const platform = platformVerdict(c, key, after);
    if (platform) return platform;
    if (key.startsWith("resources.")) {
        const workload = key.split(".")[1];
        const nodes = c.after.model.nodes.filter((n) => WORKLOAD_NODES[workload]?.(n)).map((n) => n.name);
        if (nodes.length === 0) return safe(workload === "kafkaUi" ? "kafka-ui is recreated; the brokers are untouched" : "no pod of this workload runs");
        return restart(`the pod template changes: restarts ${nodes.join(", ")}`);
    }
    void before;
    return restartsFor(c, "any");
}

/** Every node's name, for a change of every pod template. */
const allNodes = (c: ChangeContext) => c.after.model.nodes.map((n) => n.name).join(", ");
const brokers = (c: ChangeContext) =>
    c.after.model.nodes
        .filter((n) => n.roles.includes("broker"))
        .map((n) => n.name)
        .join(", ");

/** `external.*`: exposing the brokers outside the cluster without authentication is dangerous. */
function externalVerdict(c: ChangeContext, key: string, after: unknown): Verdict {
    if (key === "external.annotations" || key.startsWith("external.annotations.") || key.startsWith("external.sourceRanges")) {
        return safe("the brokers' Services (and the NetworkPolicy's sources) change in place; no pod restarts");
    }
    const rolls = restartsFor(c, "any");
    if (key === "external.type" && after !== "none" && !authenticated(c.after.config)) {
        const reason = `brokers reachable from outside the Kubernetes cluster (${String(after)}) without authentication: anyone who reaches a node's address can read, write and delete every topic; set cluster.security.authentication`;
        return withRestarts(dangerous(reason), rolls);
    }
    return rolls;
}

/** The platform settings (platform.ts); undefined for other keys. */
function platformVerdict(c: ChangeContext, key: string, after: unknown): Verdict | undefined {
    if (key === "podSecurity.enforce") return safe("the namespace's Pod Security label changes: new pods are checked against it, running ones are not");
    if (key.startsWith("podSecurity.") || key.startsWith("pods."))
        return restart(`every pod template changes: restarts ${allNodes(c)} (kafka-ui is recreated)`);
    if (key.startsWith("networkPolicy.")) {
        return safe(
            key === "networkPolicy.enabled" && after === false
                ? "the NetworkPolicies are deleted: any pod in the cluster reaches every port of every node"
                : "the NetworkPolicies change in place; no pod restarts",
        );
    }
    if (key === "rack.closestReplicaFetching") return restartsFor(c, ["replica.selector.class"]);
    if (key.startsWith("rack.")) return restart(`the brokers' pod template changes (broker.rack at start): restarts ${brokers(c)}`);
    if (key.startsWith("monitoring.")) return safe("the Prometheus Operator's monitor changes; no pod restarts");
    return undefined;
}

/** A reason as people read it: a LoadBalancer address not known yet is named, not shown as its placeholder. */
export function readableReason(reason: string): string {
    return reason.replace(
        new RegExp(loadBalancerPlaceholder(999).replace("999", "(\\d+)"), "g"),
        (_, i: string) => `<LoadBalancer address of kafka-${Number(i) + 1}>`,
    );
}
