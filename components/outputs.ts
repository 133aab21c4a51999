/** The stack outputs every target exports, under the same names on Docker and Kubernetes. */
import * as pulumi from "@pulumi/pulumi";
import { SecurityOutputs } from "./security/clusterSecrets";

export interface ClusterOutputs extends SecurityOutputs {
    /** Bootstrap servers for clients where `pulumi` runs: the host (Docker) or outside the cluster when exposed. */
    readonly bootstrapServers: pulumi.Output<string>;
    /** Bootstrap servers on the container network or inside the Kubernetes cluster. */
    readonly internalBootstrapServers: pulumi.Output<string>;
    /** kafka-ui's address, when enabled. */
    readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    /** ZooKeeper connect string (mode `zookeeper`). */
    readonly zookeeperConnect: pulumi.Output<string | undefined>;
}

/** Just the outputs of a cluster component: for `registerOutputs` and the stack's exports. The security outputs only when secured. */
export function outputsOf(c: ClusterOutputs): ClusterOutputs {
    const security: SecurityOutputs = {
        caCertificate: c.caCertificate,
        certificateExpiry: c.certificateExpiry,
        userCredentials: c.userCredentials,
        adminCredentials: c.adminCredentials,
    };
    return {
        bootstrapServers: c.bootstrapServers,
        internalBootstrapServers: c.internalBootstrapServers,
        kafkaUiUrl: c.kafkaUiUrl,
        zookeeperConnect: c.zookeeperConnect,
        ...Object.fromEntries(Object.entries(security).filter(([, v]) => v !== undefined)),
    };
}
