/**
 * A config change in Kafka terms: two valid sides of one stack in, every setting that differs out,
 * each with a severity and a one-line reason. Pure (no Pulumi, no git), shared by the PR diff and
 * anything else that has to explain a change before it is applied.
 *
 * Values are compared *resolved* (defaults applied), so a default that moves with another key
 * (min.insync.replicas with the broker count) shows as the change it really is.
 */
import { Target } from "./config";
import { ResolvedConfig, ResolvedTopic, compare } from "./resolve";
import { NodeRestart, restartPlan } from "./restarts";
import { clusterVerdict, topicVerdict } from "./risks";
import { ClusterModel } from "./types";

export type Severity = "safe" | "restart" | "dangerous";

export interface Change {
    /** Config path, e.g. `cluster.replication.minInsyncReplicas`, `cluster.topics["orders"].partitions`. */
    readonly path: string;
    /** The resolved value before; undefined when the setting (or topic) did not exist. */
    readonly before: unknown;
    /** The resolved value after; undefined when it no longer exists. */
    readonly after: unknown;
    readonly severity: Severity;
    /** One line, in Kafka terms: what happens and, for `restart`, which nodes. */
    readonly reason: string;
}

export interface Verdict {
    readonly severity: Severity;
    readonly reason: string;
}

/** One side of the comparison: a stack's resolved settings and the model built from them. */
export interface ClusterSide {
    readonly target: Target;
    readonly config: ResolvedConfig;
    readonly model: ClusterModel;
}

/** Both sides, and the restart plan between them, as every rule sees them. */
export interface ChangeContext {
    readonly before: ClusterSide;
    readonly after: ClusterSide;
    readonly restarts: readonly NodeRestart[];
}

/** Every difference between two valid sides, sorted by path. */
export function compareClusters(before: ClusterSide, after: ClusterSide): Change[] {
    const context = changeContext(before, after);
    const changes: Change[] = [];
    const settings = { before: flatten(withoutTopics(before.config)), after: flatten(withoutTopics(after.config)) };
    for (const key of unionKeys(settings.before, settings.after)) {
        const [b, a] = [settings.before[key], settings.after[key]];
        if (same(b, a)) continue;
        const path = `cluster${key}`;
        changes.push({ path, before: b, after: a, ...clusterVerdict(context, path, b, a) });
    }
    changes.push(...topicChanges(context));
    return changes.sort((x, y) => compare(x.path, y.path));
}

export function changeContext(before: ClusterSide, after: ClusterSide): ChangeContext {
    return { before, after, restarts: restartPlan(before.model, after.model) };
}

function topicChanges(context: ChangeContext): Change[] {
    const byName = (topics: readonly ResolvedTopic[]) => new Map(topics.map((t) => [t.name, t]));
    const [before, after] = [byName(context.before.config.topics), byName(context.after.config.topics)];
    const changes: Change[] = [];
    for (const name of [...new Set([...before.keys(), ...after.keys()])].sort(compare)) {
        const [b, a] = [before.get(name), after.get(name)];
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

function withoutTopics(c: ResolvedConfig): Omit<ResolvedConfig, "topics"> {
    const { topics, ...rest } = c;
    void topics;
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

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}
