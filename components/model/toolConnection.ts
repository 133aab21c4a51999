/**
 * The one seam through which every Kafka tool kafka-env runs reaches the cluster: where the tool
 * connects and, when security is on, the client properties it reads. The day-2 steps, the roll
 * gates' in-sync check, the health checks, the readiness probe and the topics and access Jobs all
 * take their connection from here, so TLS and certificates reach every call at once (as Strimzi's
 * `AdminClientProvider` does). With security off, the connection is what the callers used before.
 *
 * Inside a node, a tool connects as that node (its certificate) to `localhost`, which every node's
 * certificate covers: the checks of a shared pod template then name no pod. A tools Job (its own
 * container or pod) connects as the tools identity to the brokers' addresses.
 */
import { AdminAccess } from "./admin";
import { TLS_FILES } from "./security";
import { Listener, ListenerName, NodeModel } from "./types";

export type ToolSite =
    /** A tool run inside `node`'s container or pod, as the node; `quorum`: to its CONTROLLER listener. */
    | { readonly inside: NodeModel; readonly quorum?: boolean }
    /** A tool run in a container or pod of its own, as the tools identity, bootstrapping from these brokers. */
    | { readonly job: readonly NodeModel[] };

/** The access (`adminArgs`, `adminTool` render it) of a tool run at `site`. */
export function toolConnection(site: ToolSite): AdminAccess {
    if ("job" in site) {
        const secured = site.job.some((n) => n.security !== undefined);
        const addresses = site.job.map((n) => listener(n, secured ? "REPLICATION" : "INTERNAL").advertised!);
        return { bootstrap: addresses.join(","), ...(secured ? { commandConfig: TLS_FILES.toolsClient } : {}) };
    }
    const node = site.inside;
    const quorum = site.quorum === true || !node.roles.includes("broker");
    const name: ListenerName = quorum ? "CONTROLLER" : node.security ? "REPLICATION" : "INTERNAL";
    return {
        bootstrap: `localhost:${listener(node, name).port}`,
        ...(node.security ? { commandConfig: TLS_FILES.nodeClient } : {}),
        ...(quorum ? { bootstrapOption: "--bootstrap-controller" as const } : {}),
    };
}

function listener(node: NodeModel, name: ListenerName): Listener {
    const found = node.listeners.find((l) => l.name === name);
    if (!found) throw new Error(`kafka-env: node ${node.name} has no ${name} listener for a tool to connect to`);
    return found;
}
