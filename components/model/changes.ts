/**
 * A config change in Kafka terms: two valid sides of one stack in, every setting that differs out,
 * each with a severity and a one-line reason. Pure (no Pulumi, no git), shared by the PR diff and
 * anything else that has to explain a change before it is applied.
 *
 * Values are compared *resolved* (defaults applied), so a default that moves with another key
 * (min.insync.replicas with the broker count) shows as the change it really is.
 */
import { accessChanges } from "./accessChanges";
import { pairsByName } from "./pairs";
import { ResolvedConfig, ResolvedTopic, compare } from "./resolve";
import { clusterVerdict, topicVerdict } from "./risks";
import { Change, ChangeContext, ClusterSide, changeContext, withRefusals } from "./verdict";

/**
 * Every difference between two valid sides, sorted by path; `more` adds the changes of settings
 * beyond the cluster (the target's), judged in the same context. A change the cluster guard
 * refuses reads `refused`, with the guard's reason (`withRefusals`).
 */
export function compareClusters(before: ClusterSide, after: ClusterSide, more: (context: ChangeContext) => Change[] = () => []): Change[] {
    const context = changeContext(before, after);
    const changes: Change[] = [];
    const settings = { before: flatten(withoutLists(before.config)), after: flatten(withoutLists(after.config)) };
    for (const key of unionKeys(settings.before, settings.after)) {
        const [b, a] = [settings.before[key], settings.after[key]];
        if (same(b, a)) continue;
        const path = `cluster${key}`;
        changes.push({ path, before: b, after: a, ...clusterVerdict(context, path, b, a) });
    }
    changes.push(...topicChanges(context), ...accessChanges(context), ...more(context));
    return withRefusals(context, changes).sort((x, y) => compare(x.path, y.path));
}

function topicChanges(context: ChangeContext): Change[] {
    const changes: Change[] = [];
    for (const [name, b, a] of pairsByName(context.before.config.topics, context.after.config.topics)) {
        const base = `cluster.topics[${JSON.stringify(name)}]`;
        if (!b || !a) {
            changes.push({ path: base, before: b && topicValue(b), after: a && topicValue(a), ...topicVerdict(context, name, "", b, a) });
            continue;
        }
        const [fb, fa] = [flatten(topicValue(b)), flatten(topicValue(a))];
        for (const key of unionKeys(fb, fa)) {
            if (same(fb[key], fa[key])) continue;
            changes.push({ path: base + key, before: fb[key], after: fa[key], ...topicVerdict(context, name, key, b, a) });
        }
    }
    return changes;
}

/** A topic as the report shows it: its name is in the path already. */
function topicValue(t: ResolvedTopic): Omit<ResolvedTopic, "name"> {
    return { partitions: t.partitions, replicationFactor: t.replicationFactor, config: t.config, protect: t.protect };
}

/** The settings without the topics and users, which are compared item by item. */
function withoutLists(c: ResolvedConfig): Omit<ResolvedConfig, "topics" | "users"> {
    const { topics, users, ...rest } = c;
    void topics;
    void users;
    return rest;
}

/** Keys kafka-env names with dots (Kafka properties, topic configs) are written `["key"]` in a path. */
const MAP_KEYS: readonly string[] = ["brokerConfig", "config"];

/** Leaves of a plain object by path suffix: `.replication.minInsyncReplicas`, `.brokerConfig["log.retention.hours"]`. */
export function flatten(value: unknown, prefix = "", out: Record<string, unknown> = {}, inMap = false): Record<string, unknown> {
    if (value === undefined) return out;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        out[prefix] = value;
        return out;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        flatten(v, inMap ? `${prefix}[${JSON.stringify(k)}]` : `${prefix}.${k}`, out, MAP_KEYS.includes(k) && !inMap);
    }
    return out;
}

export function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
}

export function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}
