/**
 * Day-2 steps on Kubernetes, as Pulumi dynamic resources around the brokers' StatefulSet. Kafka's
 * tools run in short in-cluster Jobs (kafkaJob.ts); the plans come from the model (reassign.ts,
 * day2.ts), the same as on Docker.
 *
 * - `BrokerDrain` comes before the StatefulSet: when brokers leave, it moves their replicas to the
 *   brokers that stay and waits until the move completes, so the StatefulSet's scale-in (which
 *   removes the highest ordinals) finds them empty. It refuses, before anything moves, when a
 *   partition has more replicas than the brokers that stay.
 * - `BrokerSettle` comes after the StatefulSet is rolled out: in KRaft it unregisters the brokers
 *   that left once their pods are gone (a removed broker stays registered, fenced, and blocks a
 *   later `metadata.version` step); when brokers joined, it spreads the topics' replicas onto them
 *   (unless `rebalanceOnScaleOut` is off).
 * - `KubeVersionStep` comes last: after an upgrade rolled every node, it raises KRaft's
 *   `metadata.version` (ZooKeeper mode: the protocol is pinned through the upgrade roll and raised by a second roll the user starts, so nothing to run here).
 *
 * Creating a cluster runs nothing. Each runs only when its inputs change (`inputsDiff`).
 */
import * as pulumi from "@pulumi/pulumi";
import { Mode } from "../model/config";
import { versionStep } from "../model/day2";
import { kafkaTool } from "../model/images";
import { PartitionReplicas, cannotDrain, drainPlan, parseDescribe, reassignScript, reassignmentJson, spreadPlan, unregisterScript } from "../model/reassign";
import { outputs } from "../dynamic/diff";
import { refusal } from "../dynamic/refusal";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { JobPlace, podGone, runKafkaJob } from "./kafkaJob";

export interface BrokersInputs extends JobPlace {
    /** Broker ids, ascending. */
    readonly brokers: readonly number[];
    /** Pod of each broker id. */
    readonly pods: Readonly<Record<string, string>>;
    /** INTERNAL addresses of the brokers, comma-separated. */
    readonly bootstrap: string;
    readonly kraft: boolean;
    readonly rebalanceOnScaleOut: boolean;
}

interface State extends BrokersInputs {
    readonly lastReassignment?: { readonly reason: string; readonly partitions: number; readonly seconds: number };
}

/** How the steps reach the cluster: in-cluster Jobs, and the API server (replaced in unit tests). */
export interface ClusterHands {
    job(place: JobPlace, what: string, script: string, env?: Readonly<Record<string, string>>): Promise<string>;
    podGone(place: JobPlace, pod: string): Promise<void>;
}

export const inCluster: ClusterHands = { job: runKafkaJob, podGone };

/** The brokers that stay: the new list's bootstrap names only them. */
const describe = async (hands: ClusterHands, s: State, options = "") =>
    parseDescribe(await hands.job(s, "describe", kafkaTool("kafka-topics", `--bootstrap-server ${s.bootstrap} --describe${options}`)));

async function reassign(hands: ClusterHands, s: State, moves: readonly PartitionReplicas[], reason: string) {
    const t0 = Date.now();
    await hands.job(s, "reassign", reassignScript(s.bootstrap, s.timeoutSeconds), { KAFKA_ENV_PLAN: JSON.stringify(reassignmentJson(moves)) });
    return { reason, partitions: moves.length, seconds: Math.round((Date.now() - t0) / 100) / 10 };
}

const leavingOf = (olds: State | undefined, news: State) => (olds?.brokers ?? news.brokers).filter((b) => !news.brokers.includes(b));
const joiningOf = (olds: State | undefined, news: State) => news.brokers.filter((b) => !(olds?.brokers ?? news.brokers).includes(b));

/** Before the scale-in: the leaving brokers' replicas move to the brokers that stay. */
export async function drain(hands: ClusterHands, olds: State | undefined, news: State): Promise<State> {
    const leaving = leavingOf(olds, news);
    if (leaving.length === 0) return outputs({ ...news, lastReassignment: olds?.lastReassignment });
    const plan = drainPlan(await describe(hands, news), leaving, news.brokers);
    if (plan.stuck.length > 0) {
        throw refusal(cannotDrain(leaving, plan.stuck, news.brokers.length, olds!.brokers.length));
    }
    const lastReassignment = plan.moves.length > 0 ? await reassign(hands, news, plan.moves, `drain broker ${leaving.join(", ")}`) : olds?.lastReassignment;
    return outputs({ ...news, lastReassignment });
}

/** After the StatefulSet is rolled out: unregister the brokers that left (KRaft), spread onto the ones that joined. */
export async function settle(hands: ClusterHands, olds: State | undefined, news: State): Promise<State> {
    const leaving = leavingOf(olds, news);
    let lastReassignment = olds?.lastReassignment;
    if (leaving.length > 0 && news.kraft) {
        for (const id of leaving) await hands.podGone(news, olds!.pods[String(id)]);
        await hands.job(news, "unregister", unregisterScript(news.bootstrap, leaving));
    }
    const joining = joiningOf(olds, news);
    if (joining.length > 0 && news.rebalanceOnScaleOut) {
        const moves = spreadPlan(await describe(hands, news, " --exclude-internal"), news.brokers);
        if (moves.length > 0) lastReassignment = await reassign(hands, news, moves, `spread onto broker ${joining.join(", ")}`);
    }
    return outputs({ ...news, lastReassignment });
}

function brokersProvider(step: typeof drain, hands: ClusterHands) {
    return dynamicProvider<State>({
        id: () => "brokers",
        outputsOnly: ["lastReassignment"],
        // A new cluster has nothing to move.
        update: (olds, news) => step(hands, olds, news),
    });
}

export const drainProvider = brokersProvider(drain, inCluster);
export const settleProvider = brokersProvider(settle, inCluster);

const secretConfig = (args: BrokersInputs | VersionInputs) => ({
    ...args,
    kubeconfig: args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig),
});

type Args<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** What the cluster component passes: one set of inputs for the drain, the settle and the version step. */
export type BrokerStepsArgs = Args<BrokersInputs>;

export class BrokerDrain extends DynamicResource {
    constructor(name: string, args: BrokerStepsArgs, opts?: pulumi.CustomResourceOptions) {
        super(drainProvider, "BrokerDrain", name, { ...secretConfig(args as BrokersInputs), lastReassignment: undefined }, opts);
    }
}

export class BrokerSettle extends DynamicResource {
    constructor(name: string, args: BrokerStepsArgs, opts?: pulumi.CustomResourceOptions) {
        super(settleProvider, "BrokerSettle", name, { ...secretConfig(args as BrokersInputs), lastReassignment: undefined }, opts);
    }
}

export interface VersionInputs extends JobPlace {
    readonly mode: Mode;
    readonly bootstrap: string;
}

interface VersionState extends VersionInputs {
    readonly lastStep?: string;
}

/** After every node runs the new image: KRaft's `metadata.version` follows (the model's `versionStep`). */
export async function raiseVersion(hands: ClusterHands, olds: VersionState, news: VersionState): Promise<VersionState> {
    const s = versionStep(news.mode, olds.image, news.image);
    if (s.kind !== "upgrade") return outputs({ ...news, lastStep: olds.lastStep });
    if (news.mode === "kraft") {
        await hands.job(news, "features", kafkaTool("kafka-features", `--bootstrap-server ${news.bootstrap} upgrade --metadata ${s.to}`));
    }
    return { ...news, lastStep: `${s.from} → ${s.to}: ${s.finalize}` };
}

export const versionProvider = dynamicProvider<VersionState>({
    id: () => "version",
    outputsOnly: ["lastStep"],
    update: (olds, news) => raiseVersion(inCluster, olds, news),
});

export class KubeVersionStep extends DynamicResource {
    constructor(name: string, args: Args<VersionInputs>, opts?: pulumi.CustomResourceOptions) {
        // The Docker VersionStep's type: the same step, on the other target.
        super(versionProvider, "VersionStep", name, { ...secretConfig(args as VersionInputs), lastStep: undefined }, opts);
    }
}
