/**
 * Kafka's ACL vocabulary as kafka-env uses it: the operations in Kafka's own order, which
 * operations each resource type has (Kafka's `AclEntry.supportedOperations`), and how an ACL
 * reads in a sentence and in Kafka's tools.
 */
import { AclOperation, AclResource } from "./config";

/** Every operation, in the order Kafka's `AclOperation` declares them. */
export const ACL_OPERATIONS: readonly AclOperation[] = [
    "All",
    "Read",
    "Write",
    "Create",
    "Delete",
    "Alter",
    "Describe",
    "ClusterAction",
    "DescribeConfigs",
    "AlterConfigs",
    "IdempotentWrite",
];

export const ACL_RESOURCES: readonly AclResource[] = ["topic", "group", "cluster", "transactionalId"];

/** The operations each resource type has, `All` included. */
export const RESOURCE_OPERATIONS: Readonly<Record<AclResource, readonly AclOperation[]>> = {
    topic: ["All", "Read", "Write", "Create", "Delete", "Alter", "Describe", "DescribeConfigs", "AlterConfigs"],
    group: ["All", "Read", "Delete", "Describe"],
    cluster: ["All", "Create", "Alter", "Describe", "ClusterAction", "DescribeConfigs", "AlterConfigs", "IdempotentWrite"],
    transactionalId: ["All", "Write", "Describe"],
};

/** Operations sorted in Kafka's order, each once. */
export function sortOperations(operations: readonly AclOperation[]): AclOperation[] {
    return ACL_OPERATIONS.filter((op) => operations.includes(op));
}

/** An ACL's resource pattern as a reader says it: `topic orders`, `groups starting with "orders-"`, `every topic`. */
export function describePattern(acl: { resource: AclResource; name: string; patternType: "literal" | "prefixed" }): string {
    const kind = acl.resource === "transactionalId" ? "transactional id" : acl.resource;
    if (acl.resource === "cluster") return "the cluster";
    if (acl.patternType === "prefixed") return `${kind}s starting with "${acl.name}"`;
    if (acl.name === "*") return `every ${kind}`;
    return `${kind} ${acl.name}`;
}
