/**
 * `TopicGuard`: a Pulumi dynamic resource holding the managed topics' partition counts. Its check
 * compares the deployed counts (its previous inputs) with the configured ones and fails with the
 * model's refusals, so `pulumi preview` and `pulumi up` stop with the reason before any topic is
 * touched (every topic depends on the guard). Without it, a partition decrease reaches the Kafka
 * provider as a replacement, which deletes the topic's data (or fails on `protect` with a message
 * that does not say why).
 */
import * as pulumi from "@pulumi/pulumi";
import { PartitionCounts, refusedTopicChanges } from "../model/topicGuard";

interface GuardInputs {
    readonly partitions: PartitionCounts;
}

const canonical = (p: PartitionCounts | undefined) => JSON.stringify(Object.entries(p ?? {}).sort(([a], [b]) => a.localeCompare(b)));

export const topicGuardProvider: pulumi.dynamic.ResourceProvider = {
    check(olds: Partial<GuardInputs>, news: GuardInputs) {
        const refused = olds.partitions === undefined ? [] : refusedTopicChanges(olds.partitions, news.partitions);
        return Promise.resolve({ inputs: news, failures: refused.map((reason) => ({ property: "partitions", reason })) });
    },
    diff(_id: string, olds: GuardInputs, news: GuardInputs) {
        return Promise.resolve({ changes: canonical(olds.partitions) !== canonical(news.partitions), replaces: [], deleteBeforeReplace: false });
    },
    create(inputs: GuardInputs) {
        return Promise.resolve({ id: "topics", outs: inputs });
    },
    update(_id: string, _olds: GuardInputs, news: GuardInputs) {
        return Promise.resolve({ outs: news });
    },
};

export class TopicGuard extends pulumi.dynamic.Resource {
    constructor(name: string, partitions: PartitionCounts, opts?: pulumi.CustomResourceOptions) {
        super(topicGuardProvider, name, { partitions }, opts, "kafka-env", "TopicGuard");
    }
}
