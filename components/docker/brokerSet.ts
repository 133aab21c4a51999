/**
 * `BrokerSet`: a Pulumi dynamic resource that follows the set of broker ids, after the roll. When
 * brokers leave, its update drains them (their replicas move to the brokers that stay), stops
 * them and, in KRaft, unregisters them; Pulumi removes their containers only after that, at the
 * end of the update. When brokers join, it spreads the topics' replicas onto them (unless turned
 * off): every topic but Kafka's internal ones, so that adding a topic to the config does not touch
 * this resource. Creating and destroying a cluster moves nothing. The steps: day2/steps.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { BrokerSettings, Reassignment, drain, spread, unregister } from "../day2/steps";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { BrokerToolInputs, DockerHands, brokerAccess, dockerEngine } from "./tools";

export interface BrokerSetInputs extends BrokerSettings, BrokerToolInputs {
    /** Container of each broker id, to run Kafka's tools in. */
    readonly containers: Readonly<Record<string, string>>;
}

interface State extends BrokerSetInputs {
    /** What the last change moved. */
    readonly lastReassignment?: Reassignment;
}

/** Drain, unregister and spread, through the first broker (one that stays: only the highest ids leave). */
export async function applyBrokerSet(hands: DockerHands, olds: State | undefined, news: State): Promise<State> {
    const tools = hands.tools(news.containers[String(news.brokers[0])], brokerAccess(news));
    const drained = await drain(tools, olds, news);
    // Emptied now: each is stopped before it is unregistered.
    await unregister(tools, olds, news, async (id) => {
        const gone = olds?.containers[String(id)];
        if (gone) await hands.stop(gone);
    });
    const joined = await spread(tools, olds, news);
    return { ...news, lastReassignment: joined ?? drained ?? olds?.lastReassignment };
}

export const brokerSetProvider = dynamicProvider<State>({
    id: () => "brokers",
    outputsOnly: ["lastReassignment"],
    create: (inputs) => applyBrokerSet(dockerEngine, undefined, inputs),
    update: (olds, news) => applyBrokerSet(dockerEngine, olds, news),
});

export class BrokerSet extends DynamicResource {
    declare public readonly lastReassignment: pulumi.Output<State["lastReassignment"]>;
    constructor(name: string, args: BrokerSetInputs, opts?: pulumi.CustomResourceOptions) {
        super(brokerSetProvider, "BrokerSet", name, { ...args, lastReassignment: undefined }, opts);
    }
}
