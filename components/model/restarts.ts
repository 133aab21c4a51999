/**
 * Day-2 knowledge: which nodes a change restarts, why, and in what order. Pure: two models in,
 * a plan out, shared by both targets and the pull-request diff.
 */
import { kafkaEnvName } from "./images";
import { ClusterModel, NodeModel, Role } from "./types";

export interface NodeRestart {
    readonly node: string;
    readonly roles: readonly Role[];
    readonly reasons: readonly string[];
}

/** What a restart depends on: everything the node's container or pod is started with. */
export type NodeSettings = Pick<NodeModel, "name" | "roles" | "image" | "properties" | "env" | "published" | "healthcheck">;

/**
 * Nodes present on both sides whose settings (properties/env) or image differ, in roll order:
 * ZooKeeper, then controllers, then brokers, each by id. Reasons in Kafka terms, e.g.
 * "min.insync.replicas 2 → 1", "image confluentinc/cp-kafka:7.9.2 → 7.9.3".
 */
export function restartPlan(before: ClusterModel, after: ClusterModel): NodeRestart[] {
    const old = new Map(before.nodes.map((n) => [n.name, n]));
    return rollOrder(after.nodes)
        .filter((n) => old.has(n.name))
        .map((n) => ({ node: n.name, roles: n.roles, reasons: restartReasons(old.get(n.name)!, n) }))
        .filter((r) => r.reasons.length > 0);
}

/** The groups a roll goes through, in order: ZooKeeper, nodes with the controller role, brokers. */
export const ROLL_GROUPS = ["zookeeper", "controller", "broker"] as const;
export type RollGroup = (typeof ROLL_GROUPS)[number];

export function rollGroup(node: Pick<NodeModel, "roles">): RollGroup {
    return node.roles.includes("zookeeper") ? "zookeeper" : node.roles.includes("controller") ? "controller" : "broker";
}

/** ZooKeeper nodes, then nodes with the controller role, then brokers; each group by id. */
export function rollOrder<N extends Pick<NodeModel, "roles" | "id">>(nodes: readonly N[]): N[] {
    const rank = (n: N) => ROLL_GROUPS.indexOf(rollGroup(n));
    return [...nodes].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}

/**
 * The order a whole cluster stops in (`pulumi destroy`): every node with the broker role at once,
 * then the controller-only nodes, then ZooKeeper; names by id within a group. Together, because a
 * KRaft broker's controlled shutdown needs an active controller: stopped one after the other, the
 * last combined node waits out its stop timeout once the quorum is gone (seen: 120 s). Before
 * the nodes they need, because a broker's clean shutdown needs the controllers or ZooKeeper.
 */
export function stopGroups<N extends Pick<NodeModel, "roles" | "id" | "name">>(nodes: readonly N[]): string[][] {
    const rank = (n: N) => (n.roles.includes("broker") ? 0 : n.roles.includes("controller") ? 1 : 2);
    return [0, 1, 2]
        .map((r) =>
            nodes
                .filter((n) => rank(n) === r)
                .sort((a, b) => a.id - b.id)
                .map((n) => n.name),
        )
        .filter((g) => g.length > 0);
}

/** Why one node restarts between two versions of its settings; empty when it does not. */
export function restartReasons(before: NodeSettings, after: NodeSettings): string[] {
    const reasons: string[] = [];
    if (before.image !== after.image) reasons.push(`image ${before.image} → ${imageChange(before.image, after.image)}`);
    reasons.push(...mapChanges(before.properties, after.properties));
    // Variables that only carry a property are already reported under the property's name.
    const carried = new Set([...Object.keys(before.properties), ...Object.keys(after.properties)].map(kafkaEnvName));
    const zookeeper = after.roles.includes("zookeeper");
    const own = (env: Readonly<Record<string, string>>) =>
        Object.fromEntries(Object.entries(env).filter(([k]) => !carried.has(k) && !(zookeeper && k.startsWith("ZOOKEEPER_"))));
    reasons.push(...mapChanges(own(before.env), own(after.env)));
    if (zookeeper && reasons.length === 0 && !sameMap(before.env, after.env)) reasons.push("ZooKeeper environment changed");
    const ports = (n: NodeSettings) => n.published.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}`).join(",") || "(none)";
    if (ports(before) !== ports(after)) reasons.push(`published ports ${ports(before)} → ${ports(after)}`);
    if (before.healthcheck !== after.healthcheck) reasons.push("healthcheck changed");
    if (before.roles.join(",") !== after.roles.join(",")) reasons.push(`roles ${before.roles.join(",")} → ${after.roles.join(",")}`);
    return reasons;
}

/** `a/b:1` → `a/b:2` reads "image a/b:1 → 2"; a different repository is written in full. */
function imageChange(before: string, after: string): string {
    const repo = (i: string) => i.slice(0, i.lastIndexOf(":"));
    return repo(before) === repo(after) && before.includes(":") ? after.slice(after.lastIndexOf(":") + 1) : after;
}

function mapChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.filter((k) => before[k] !== after[k]).map((k) => `${k} ${before[k] ?? "(unset)"} → ${after[k] ?? "(unset)"}`);
}

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
    return mapChanges(a, b).length === 0;
}
