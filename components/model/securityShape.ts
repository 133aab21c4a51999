/**
 * The shape of `cluster.security` and `cluster.users`, in the terms of `shape.ts` (which reads these
 * constants into `CLUSTER_SHAPE`; written as plain data so this file needs nothing from it).
 */
import { ACL_OPERATIONS, ACL_RESOURCES } from "./acls";

const days = { kind: "integer", min: 1 } as const;

export const SECURITY_SHAPE = {
    kind: "object",
    fields: {
        authentication: { kind: "string", oneOf: ["none", "scram-sha-256", "scram-sha-512"] },
        tls: { kind: "boolean" },
        authorization: { kind: "boolean" },
        certificates: { kind: "object", fields: { validityDays: days, renewalDays: days, caValidityDays: days } },
    },
} as const;

const ACL_SHAPE = {
    kind: "object",
    fields: {
        resource: { kind: "string", oneOf: ACL_RESOURCES },
        name: { kind: "string" },
        patternType: { kind: "string", oneOf: ["literal", "prefixed"] },
        operations: { kind: "list", of: { kind: "string", oneOf: ACL_OPERATIONS } },
        permission: { kind: "string", oneOf: ["allow", "deny"] },
        host: { kind: "string" },
    },
    required: ["resource", "operations"],
} as const;

export const USERS_SHAPE = {
    kind: "list",
    of: { kind: "object", fields: { name: { kind: "string" }, acls: { kind: "list", of: ACL_SHAPE } }, required: ["name"] },
} as const;
