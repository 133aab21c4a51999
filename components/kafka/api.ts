/**
 * What kafka-env does through the Kafka API with `@pulumi/kafka`, on any target whose `pulumi`
 * reaches the brokers: the topics (topics.ts) and, on a cluster with authentication, the users and
 * their ACLs (access.ts), with kafka-ui's read-only user's ACLs. One provider serves both, logged in
 * as kafka-env's admin on a secured cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel } from "../model";
import { ResolvedAcl } from "../model/resolve";
import { ClusterSecrets } from "../security/clusterSecrets";
import { KafkaAccess } from "./access";
import { KafkaTopics } from "./topics";

export interface KafkaApiArgs {
    readonly model: ClusterModel;
    /** Bootstrap servers reachable from where `pulumi` runs. */
    readonly bootstrapServers: pulumi.Input<string[]>;
    /** A secured cluster's certificates and passwords. */
    readonly secrets?: ClusterSecrets;
    /**
     * What must be ready before anything is touched: the brokers and, with authentication, the
     * admin's credential (every broker accepts it). Destroyed, topics, users and ACLs go first.
     */
    readonly brokersReady: pulumi.Input<pulumi.Resource>[];
    /** ACLs of principals other than the users and kafka-ui's (the Kubernetes readiness probe's), by principal name. */
    readonly ownAcls?: Readonly<Record<string, readonly ResolvedAcl[]>>;
}

export function kafkaApi(args: KafkaApiArgs, opts?: pulumi.ComponentResourceOptions): { topics?: KafkaTopics; access?: KafkaAccess } {
    const { model, secrets } = args;
    const mechanism = model.security?.mechanism;
    const uiAcls = model.kafkaUi?.security?.acls;
    const ownAcls = { ...(uiAcls && model.kafkaUi?.security?.user ? { [model.kafkaUi.security.user]: uiAcls } : {}), ...args.ownAcls };
    const users = model.security?.users ?? [];
    const withAccess = secrets !== undefined && mechanism !== undefined && (users.length > 0 || Object.keys(ownAcls).length > 0);
    if (model.topics.length === 0 && !withAccess) return {};
    const topics = new KafkaTopics(
        `${model.name}-topics`,
        {
            bootstrapServers: args.bootstrapServers,
            topics: model.topics,
            brokersReady: args.brokersReady,
            ...(secrets ? { security: secrets.clientSecurity() } : {}),
        },
        opts,
    );
    if (!withAccess) return { topics };
    const access = new KafkaAccess(
        `${model.name}-access`,
        { provider: topics.provider, mechanism, users, passwords: secrets.credentials!.passwords, ownAcls, after: args.brokersReady },
        opts,
    );
    return { topics, access };
}
