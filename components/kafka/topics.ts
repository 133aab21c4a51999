/**
 * `kafka-env:kafka:Topics`: the model's topics through `@pulumi/kafka`, on any target.
 *
 * The provider reaches bootstrap servers reachable from where `pulumi` runs, in plaintext or, on a
 * secured cluster, over TLS and SCRAM as kafka-env's admin (connection.ts). The users and ACLs
 * (access.ts) share it. It connects on its first use, not when it is configured, so the
 * provider itself starts at once, off the critical path, while the topics wait for the brokers
 * (`dependsOn`): a fresh `pulumi up` never races the cluster, and a destroy deletes the topics
 * before the brokers stop. Topics are protected by default: a partition decrease
 * or a rename would make the provider delete and recreate the topic, losing its data. A
 * `TopicGuard` refuses a partition decrease with the reason before any topic is touched.
 */
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedTopic, bootstrapSubset } from "../model";
import { TopicGuard } from "../guards/topicGuard";
import { ClientSecurity, providerSecurity } from "./connection";

export interface KafkaTopicsArgs {
    /** Bootstrap servers reachable from where `pulumi` runs; the provider uses the first three. */
    readonly bootstrapServers: pulumi.Input<string[]>;
    readonly topics: readonly ResolvedTopic[];
    /** Resources that must be ready before a topic is touched (the broker containers or pods). */
    readonly brokersReady: pulumi.Input<pulumi.Resource>[];
    /** Seconds the provider waits for the brokers. Default: 120. */
    readonly timeout?: number;
    /** How the provider logs in to a secured cluster. Default: plaintext, no login. */
    readonly security?: ClientSecurity;
}

export class KafkaTopics extends pulumi.ComponentResource {
    /** Topics by name. */
    public readonly topics: Readonly<Record<string, kafka.Topic>>;
    public readonly provider: kafka.Provider;

    constructor(name: string, args: KafkaTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kafka-env:kafka:Topics", name, {}, opts);
        this.provider = new kafka.Provider(
            `${name}-kafka`,
            {
                bootstrapServers: pulumi.output(args.bootstrapServers).apply(bootstrapSubset),
                ...providerSecurity(args.security),
                timeout: args.timeout ?? 120,
            },
            { parent: this },
        );
        const guard = new TopicGuard(`${name}-guard`, Object.fromEntries(args.topics.map((t) => [t.name, t.partitions])), { parent: this });
        const topics: Record<string, kafka.Topic> = {};
        for (const topic of args.topics) {
            topics[topic.name] = new kafka.Topic(
                `${name}-${topic.name}`,
                {
                    name: topic.name,
                    partitions: topic.partitions,
                    replicationFactor: topic.replicationFactor,
                    config: topic.config,
                },
                {
                    parent: this,
                    provider: this.provider,
                    dependsOn: [guard, ...args.brokersReady],
                    protect: topic.protect,
                    // Never create the new topic before the old one is gone: Kafka refuses two of one name.
                    deleteBeforeReplace: true,
                },
            );
        }
        this.topics = topics;
        this.registerOutputs({});
    }
}
