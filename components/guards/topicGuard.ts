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
import { DynamicResource, dynamicProvider } from "../dynamic/resource";

interface GuardInputs {
    readonly partitions: PartitionCounts;
}

export const topicGuardProvider = dynamicProvider<GuardInputs>({
    id: () => "topics",
    refuse: {
        property: "partitions",
        reasons: (olds, news) => (olds.partitions === undefined ? [] : refusedTopicChanges(olds.partitions, news.partitions)),
    },
});

export class TopicGuard extends DynamicResource {
    constructor(name: string, partitions: PartitionCounts, opts?: pulumi.CustomResourceOptions) {
        super(topicGuardProvider, "TopicGuard", name, { partitions }, opts);
    }
}
