/**
 * The day-2 steps, written once against `KafkaTools` and run by each target where its graph needs
 * them: Docker's `BrokerSet` runs drain, unregister and spread in one update, after the roll;
 * Kubernetes runs the drain before the brokers' StatefulSet (`BrokerDrain`) and unregister and
 * spread after it (`BrokerSettle`). Both end with the version step. The plans come from the model
 * (model/reassign.ts, model/day2.ts).
 *
 * Each step reads the deployed inputs (`olds`, undefined on a create) and the new ones, and does
 * nothing unless the brokers (or the image) changed: creating a cluster moves nothing.
 */
import { refusal } from "../dynamic/refusal";
import { adminTool } from "../model/images";
import { Mode } from "../model/config";
import { brokerIdChanges, versionStep } from "../model/day2";
import { PartitionReplicas, cannotDrain, drainPlan, parseDescribe, reassignScript, reassignmentJson, spreadPlan, unregisterScript } from "../model/reassign";
import { KafkaTools } from "./tools";

/** What the broker steps read of their resource's inputs, on either target. */
export interface BrokerSettings {
    /** Broker ids, ascending. */
    readonly brokers: readonly number[];
    /**
     * KRaft: a broker that left stays registered (fenced) in the metadata until it is unregistered,
     * and the controllers then refuse any feature upgrade the gone broker did not support (a later
     * `metadata.version` step would fail).
     */
    readonly kraft: boolean;
    /** Spread every topic's replicas (Kafka's internal topics excepted) onto new brokers. */
    readonly rebalanceOnScaleOut: boolean;
    readonly timeoutSeconds: number;
}

/** What a step moved, kept in the resource's outputs for `pulumi stack export` and the tests. */
export interface Reassignment {
    readonly reason: string;
    readonly partitions: number;
    readonly seconds: number;
}

const changeOf = (olds: BrokerSettings | undefined, news: BrokerSettings) => brokerIdChanges(olds?.brokers ?? news.brokers, news.brokers);

// Not `describe`: under mocha the closure serializer takes the test framework's global of that name.
async function describeAssignment(tools: KafkaTools, options = ""): Promise<PartitionReplicas[]> {
    return parseDescribe(await tools.run("describe", adminTool(tools.admin, "kafka-topics", `--describe${options}`)));
}

/** Kafka's `kafka-reassign-partitions`, started and waited for in one script (`reassignScript`). */
async function reassign(tools: KafkaTools, news: BrokerSettings, moves: readonly PartitionReplicas[], reason: string): Promise<Reassignment> {
    const t0 = Date.now();
    await tools.run("reassign", reassignScript(tools.admin, news.timeoutSeconds), { KAFKA_ENV_PLAN: JSON.stringify(reassignmentJson(moves)) });
    return { reason, partitions: moves.length, seconds: Math.round((Date.now() - t0) / 100) / 10 };
}

/**
 * Before brokers leave: their replicas move to the brokers that stay, and this waits until the
 * move completes. Refuses, before anything moves, when a partition has more replicas than the
 * brokers that stay. Only the highest ids ever leave, so the tools reach the brokers that stay.
 */
export async function drain(tools: KafkaTools, olds: BrokerSettings | undefined, news: BrokerSettings): Promise<Reassignment | undefined> {
    const leaving = changeOf(olds, news).removed;
    if (leaving.length === 0) return undefined;
    const plan = drainPlan(await describeAssignment(tools), leaving, news.brokers);
    if (plan.stuck.length > 0) throw refusal(cannotDrain(leaving, plan.stuck, news.brokers.length, olds!.brokers.length));
    return plan.moves.length > 0 ? reassign(tools, news, plan.moves, `drain broker ${leaving.join(", ")}`) : undefined;
}

/**
 * KRaft, after the drain: once each broker that left is gone (`gone`: stopped, or its pod
 * removed), takes it out of the cluster's metadata (`kafka-cluster unregister`). In ZooKeeper
 * mode a broker's registration goes with its session: nothing to do.
 */
export async function unregister(tools: KafkaTools, olds: BrokerSettings | undefined, news: BrokerSettings, gone: (id: number) => Promise<void>) {
    const leaving = changeOf(olds, news).removed;
    if (leaving.length === 0 || !news.kraft) return;
    for (const id of leaving) await gone(id);
    // An id no longer registered (an update retried after a failure) is fine.
    await tools.run("unregister", unregisterScript(tools.admin, leaving));
}

/** After brokers joined: the topics' replicas spread onto them (every topic but Kafka's internal ones), unless turned off. */
export async function spread(tools: KafkaTools, olds: BrokerSettings | undefined, news: BrokerSettings): Promise<Reassignment | undefined> {
    const joining = changeOf(olds, news).added;
    if (joining.length === 0 || !news.rebalanceOnScaleOut) return undefined;
    const moves = spreadPlan(await describeAssignment(tools, " --exclude-internal"), news.brokers);
    return moves.length > 0 ? reassign(tools, news, moves, `spread onto broker ${joining.join(", ")}`) : undefined;
}

/** What the version step reads of its resource's inputs, on either target. */
export interface VersionSettings {
    readonly mode: Mode;
    /** The brokers' image. */
    readonly image: string;
}

/**
 * After every node runs a newer Kafka release (the model's `versionStep`): KRaft's
 * `metadata.version` follows, through `kafka-features`. In ZooKeeper mode an upgrade is only
 * taken with `inter.broker.protocol.version` pinned at the running release (the guard refuses it
 * otherwise); the user's next change removes the pin and rolls again: nothing to run here.
 * Resolves to what was done and what is left to do, or undefined when the release did not change.
 */
export async function raiseVersion(tools: KafkaTools, olds: VersionSettings, news: VersionSettings): Promise<string | undefined> {
    const s = versionStep(news.mode, olds.image, news.image);
    if (s.kind !== "upgrade") return undefined;
    if (news.mode === "kraft") await tools.run("features", adminTool(tools.admin, "kafka-features", `upgrade --metadata ${s.to}`));
    return `${s.from} → ${s.to}: ${s.finalize}`;
}
