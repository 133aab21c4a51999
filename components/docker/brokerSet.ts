/**
 * `BrokerSet`: a Pulumi dynamic resource that follows the set of broker ids. When brokers leave,
 * its update moves their replicas to the brokers that stay (Kafka's `kafka-reassign-partitions`)
 * and waits until the move completes; Pulumi removes the leaving brokers' containers only after
 * that, at the end of the update. When brokers join, it spreads the topics' replicas onto them
 * (unless turned off): every topic but Kafka's internal ones, so that adding a topic to the config
 * does not touch this resource. Creating and destroying a cluster moves nothing.
 *
 * Only the highest ids ever leave (brokers are numbered 1..N), so the brokers that stay are the
 * new set.
 */
import * as pulumi from "@pulumi/pulumi";
import { kafkaTool } from "../model/images";
import { PartitionReplicas, cannotDrain, drainPlan, parseDescribe, reassignmentJson, spreadPlan, unregisterScript } from "../model/reassign";
import { sleep } from "../dynamic/poll";
import { refusal } from "../dynamic/refusal";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { dockerCli, execIn } from "./cli";

export interface BrokerSetInputs {
    /** Broker ids, ascending. */
    readonly brokers: readonly number[];
    /** Container of each broker id, to run Kafka's tools in. */
    readonly containers: Readonly<Record<string, string>>;
    readonly internalPort: number;
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

interface State extends BrokerSetInputs {
    /** What the last change moved, for `pulumi stack export` and the tests. */
    readonly lastReassignment?: { readonly reason: string; readonly partitions: number; readonly seconds: number };
}

async function reassign(state: State, container: string, moves: readonly PartitionReplicas[], reason: string) {
    const t0 = Date.now();
    const tool = (args: string) =>
        kafkaTool(
            "kafka-reassign-partitions",
            `--bootstrap-server localhost:${state.internalPort} --reassignment-json-file /tmp/kafka-env-reassign.json ${args}`,
        );
    await execIn(container, "cat > /tmp/kafka-env-reassign.json", JSON.stringify(reassignmentJson(moves)));
    await execIn(container, tool("--execute"));
    let last = "";
    while (Date.now() - t0 < state.timeoutSeconds * 1000) {
        last = await execIn(container, tool("--verify"));
        if (!/in progress/i.test(last)) return { reason, partitions: moves.length, seconds: (Date.now() - t0) / 1000 };
        await sleep(2000);
    }
    throw new Error(`kafka-env: reassignment (${reason}) did not complete within ${state.timeoutSeconds}s; last --verify:\n${last.trim()}`);
}

async function apply(olds: State | undefined, news: State): Promise<State> {
    const was = olds?.brokers ?? news.brokers;
    const leaving = was.filter((b) => !news.brokers.includes(b));
    const joining = news.brokers.filter((b) => !was.includes(b));
    const container = news.containers[String(news.brokers[0])];
    const describe = async (options = "") =>
        parseDescribe(await execIn(container, kafkaTool("kafka-topics", `--bootstrap-server localhost:${news.internalPort} --describe${options}`)));
    let lastReassignment = olds?.lastReassignment;
    if (leaving.length > 0) {
        const plan = drainPlan(await describe(), leaving, news.brokers);
        if (plan.stuck.length > 0) {
            throw refusal(cannotDrain(leaving, plan.stuck, news.brokers.length, was.length));
        }
        if (plan.moves.length > 0) lastReassignment = await reassign(news, container, plan.moves, `drain broker ${leaving.join(", ")}`);
        if (news.kraft) {
            // Emptied now: stop each (Pulumi removes the container at the end of the update) and
            // take it out of the cluster's metadata, as kafka-cluster unregister does.
            for (const id of leaving) {
                const gone = olds?.containers[String(id)];
                if (gone) await dockerCli(["stop", "-t", "120", gone]);
            }
            // An id no longer registered (an update retried after a failure) is fine.
            await execIn(container, unregisterScript(`localhost:${news.internalPort}`, leaving));
        }
    }
    if (joining.length > 0 && news.rebalanceOnScaleOut) {
        const moves = spreadPlan(await describe(" --exclude-internal"), news.brokers);
        if (moves.length > 0) lastReassignment = await reassign(news, container, moves, `spread onto broker ${joining.join(", ")}`);
    }
    return { ...news, lastReassignment };
}

export const brokerSetProvider = dynamicProvider<State>({
    id: () => "brokers",
    outputsOnly: ["lastReassignment"],
    create: (inputs) => apply(undefined, inputs),
    update: (olds, news) => apply(olds, news),
});

export class BrokerSet extends DynamicResource {
    declare public readonly lastReassignment: pulumi.Output<State["lastReassignment"]>;
    constructor(name: string, args: BrokerSetInputs, opts?: pulumi.CustomResourceOptions) {
        super(brokerSetProvider, "BrokerSet", name, { ...args, lastReassignment: undefined }, opts);
    }
}
