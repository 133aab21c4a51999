/**
 * A user's ACLs as the bindings Kafka stores (one principal, one operation, one resource pattern
 * each), named so that a binding's resource never outlives the binding (access.ts).
 */
import { createHash } from "node:crypto";
import { AclOperation, AclResource } from "./config";
import { ResolvedAcl } from "./resolve";

/** One ACL binding as Kafka stores it: a principal, one operation, one resource pattern. */
export interface AclBinding {
    /** A stable name for the binding, unique per user: what the resource that holds it is called. */
    readonly key: string;
    readonly principal: string;
    readonly resourceType: "Topic" | "Group" | "Cluster" | "TransactionalID";
    readonly resourceName: string;
    readonly patternType: "Literal" | "Prefixed";
    readonly operation: AclOperation;
    readonly permission: "Allow" | "Deny";
    readonly host: string;
}

const RESOURCE_TYPES: Readonly<Record<AclResource, AclBinding["resourceType"]>> = {
    topic: "Topic",
    group: "Group",
    cluster: "Cluster",
    transactionalId: "TransactionalID",
};

/** A resource or host name as a piece of a resource name: kept when plain, else made plain and told apart by a digest. */
function namePart(name: string): string {
    if (/^[A-Za-z0-9._-]+$/.test(name)) return name;
    return `${name.replace(/[^A-Za-z0-9._-]/g, "_")}-${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
}

/**
 * Every binding of `user`'s ACLs, one per operation, in the ACLs' order. Each binding's key names
 * all it is (resource, pattern, name, operation, and the permission and host when not the
 * defaults): every field of a binding is fixed in Kafka, so a changed binding is another binding,
 * and a key that followed anything else would delete the old binding after creating the new one.
 */
export function aclBindings(user: string, acls: readonly ResolvedAcl[]): AclBinding[] {
    return acls.flatMap((acl) =>
        acl.operations.map((operation) => {
            const parts = [user, acl.resource, acl.patternType, namePart(acl.name), operation];
            if (acl.permission === "deny") parts.push("deny");
            if (acl.host !== "*") parts.push(`host-${namePart(acl.host)}`);
            return {
                key: parts.join("-"),
                principal: `User:${user}`,
                resourceType: RESOURCE_TYPES[acl.resource],
                resourceName: acl.name,
                patternType: acl.patternType === "prefixed" ? "Prefixed" : "Literal",
                operation,
                permission: acl.permission === "deny" ? "Deny" : "Allow",
                host: acl.host,
            } as const;
        }),
    );
}
