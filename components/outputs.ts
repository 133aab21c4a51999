/** The stack outputs every target exports, under the same names on Docker and Kubernetes. */
import * as pulumi from "@pulumi/pulumi";

export interface ClusterOutputs {
    /** Bootstrap servers for clients where `pulumi` runs: the host (Docker) or outside the cluster when exposed. */
    readonly bootstrapServers: pulumi.Output<string>;
    /** Bootstrap servers on the container network or inside the Kubernetes cluster. */
    readonly internalBootstrapServers: pulumi.Output<string>;
    /** kafka-ui's address, when enabled. */
    readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    /** ZooKeeper connect string (mode `zookeeper`). */
    readonly zookeeperConnect: pulumi.Output<string | undefined>;
}

/** Just the outputs of a cluster component: for `registerOutputs` and the stack's exports. */
export function outputsOf(c: ClusterOutputs): ClusterOutputs {
    return {
        bootstrapServers: c.bootstrapServers,
        internalBootstrapServers: c.internalBootstrapServers,
        kafkaUiUrl: c.kafkaUiUrl,
        zookeeperConnect: c.zookeeperConnect,
    };
}
