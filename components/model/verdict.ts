/**
 * A change's verdict, in one place: its severity and a one-line reason, the constructors every
 * rule builds them with (`risks.ts` for the cluster, `kubernetes/changes.ts` for the Kubernetes
 * settings), and the context the rules read. A change the cluster guard refuses is not judged by a
 * rule: its verdict is the guard's own refusal (`refusals`, day2.ts), so `npm run diff` and
 * `pulumi up` cannot disagree.
 */
import { Target } from "./config";
import { RefusedFact, Refusal, day2Facts, refusals } from "./day2";
import { ResolvedConfig } from "./resolve";
import { NodeRestart, restartPlan } from "./restarts";
import { ClusterModel } from "./types";

/**
 * From least to most severe. `restart`: the reason names the nodes; `dangerous`: data loss,
 * blocked writes, a different cluster; `refused`: the guard stops `pulumi up` before any node is
 * touched, with what to do instead.
 */
export const SEVERITIES = ["safe", "restart", "dangerous", "refused"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Verdict {
    readonly severity: Severity;
    /** One line, in Kafka terms: what happens and, for `restart`, which nodes. */
    readonly reason: string;
}

export interface Change extends Verdict {
    /** Config path, e.g. `cluster.replication.minInsyncReplicas`, `cluster.topics["orders"].partitions`. */
    readonly path: string;
    /** The resolved value before; undefined when the setting (or topic) did not exist. */
    readonly before: unknown;
    /** The resolved value after; undefined when it no longer exists. */
    readonly after: unknown;
}

export const safe = (reason: string): Verdict => ({ severity: "safe", reason });
export const restart = (reason: string): Verdict => ({ severity: "restart", reason });
export const dangerous = (reason: string): Verdict => ({ severity: "dangerous", reason });
export const refused = (reason: string): Verdict => ({ severity: "refused", reason });

/** A dangerous change that also restarts nodes says both. */
export const withRestarts = (danger: Verdict, restarts: Verdict): Verdict =>
    restarts.severity === "restart" ? dangerous(`${danger.reason}; ${restarts.reason}`) : danger;

/** One side of the comparison: a stack's resolved settings and the model built from them. */
export interface ClusterSide {
    readonly target: Target;
    readonly config: ResolvedConfig;
    readonly model: ClusterModel;
}

/** Both sides, the restart plan between them and what the guard refuses, as every rule sees them. */
export interface ChangeContext {
    readonly before: ClusterSide;
    readonly after: ClusterSide;
    readonly restarts: readonly NodeRestart[];
    readonly refusals: readonly Refusal[];
}

export function changeContext(before: ClusterSide, after: ClusterSide): ChangeContext {
    // The guard is named after the cluster, below its target's component: another name or target
    // is a new guard, with nothing deployed to compare (the adapters' `ClusterGuard`).
    const guarded = before.target === after.target && before.model.name === after.model.name;
    return {
        before,
        after,
        restarts: restartPlan(before.model, after.model),
        refusals: guarded ? refusals(day2Facts(before.model), day2Facts(after.model)) : [],
    };
}

/** Which nodes restart for a setting, from the model's restart plan; `safe` when none does. */
function restartVerdict(c: ChangeContext, matches: (reason: string, restart: NodeRestart) => boolean): Verdict {
    const nodes = c.restarts.filter((r) => r.reasons.some((reason) => matches(reason, r))).map((r) => r.node);
    if (nodes.length === 0) return safe("no node restarts");
    return restart(`restarts ${nodes.join(", ")}`);
}

/** The nodes whose restart reasons name one of these settings (properties, env, `image`, `published`), or any. */
export function restartsFor(c: ChangeContext, settings: readonly string[] | "any", roles?: (r: NodeRestart) => boolean): Verdict {
    return restartVerdict(c, (reason, r) => (roles ? roles(r) : true) && (settings === "any" || settings.some((s) => reason.startsWith(`${s} `))));
}

/**
 * The settings whose change makes each refusal, as change paths; `fact`: where a refusal no such
 * setting explains is shown (the quorum moves with the controllers' addresses too: on
 * Kubernetes, the namespace and the cluster domain).
 */
const REFUSED_SETTINGS: Readonly<Record<RefusedFact, { readonly paths: readonly string[]; readonly fact: string }>> = {
    mode: { paths: ["cluster.mode"], fact: "cluster.mode" },
    clusterId: { paths: ["cluster.kraft.clusterId"], fact: "cluster.kraft.clusterId" },
    voters: {
        paths: ["cluster.kraft.controllers", "cluster.kraft.dedicatedControllers", "cluster.listeners.controllerPort"],
        fact: "controller.quorum.voters",
    },
    zookeeperNodes: { paths: ["cluster.zookeeper.nodes"], fact: "cluster.zookeeper.nodes" },
    kafkaImage: { paths: ["cluster.images.kafka", 'cluster.brokerConfig["inter.broker.protocol.version"]'], fact: "cluster.images.kafka" },
    secured: {
        paths: ["cluster.security.authentication", "cluster.security.tls", "cluster.security.authorization"],
        fact: "cluster.security",
    },
};

/**
 * The guard's refusals laid over the rules' verdicts: a change of a setting the guard refuses reads
 * `refused` with the guard's reason, and a refusal no change names gets its own entry (the fact,
 * before and after), so every refusal `pulumi up` would meet is in the list.
 */
export function withRefusals(c: ChangeContext, changes: readonly Change[]): Change[] {
    const claimed = new Set<Refusal>();
    const judged = changes.map((change) => {
        const mine = c.refusals.filter((r) => REFUSED_SETTINGS[r.fact].paths.includes(change.path));
        mine.forEach((r) => claimed.add(r));
        return mine.length === 0 ? change : { ...change, ...refused(mine.map((r) => r.reason).join("; ")) };
    });
    const [before, after] = [day2Facts(c.before.model), day2Facts(c.after.model)];
    for (const r of c.refusals.filter((x) => !claimed.has(x)))
        judged.push({ path: REFUSED_SETTINGS[r.fact].fact, before: before[r.fact], after: after[r.fact], ...refused(r.reason) });
    return judged;
}
