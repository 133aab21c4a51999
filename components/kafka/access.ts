/**
 * `kafka-env:kafka:Access`: the cluster's users and their ACLs through `@pulumi/kafka`, on any target
 * whose `pulumi` reaches the brokers (the provider of `KafkaTopics`, logged in as kafka-env's admin).
 * Each user gets a SCRAM credential (`UserScramCredential`, its password a secret), each ACL one
 * `Acl` per operation. Everything goes through the Kafka API: adding or removing a user or an ACL,
 * or changing a password, restarts no broker.
 *
 * Each `Acl` is named after its whole binding (model/aclBindings.ts): every field of a
 * binding is fixed, so a changed ACL is one binding deleted and another created, never a rename
 * that would create the new binding and then delete it as the old one.
 */
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedAcl, ResolvedUser, ScramMechanism } from "../model";
import { aclBindings } from "../model/aclBindings";
import { SCRAM_ITERATIONS } from "../model/credentialScript";

export interface KafkaAccessArgs {
    /** The provider (`KafkaTopics.provider`), logged in as kafka-env's admin. */
    readonly provider: kafka.Provider;
    readonly mechanism: ScramMechanism;
    /** `cluster.users`: each gets a credential and its ACLs. */
    readonly users: readonly ResolvedUser[];
    /** By user; secret. */
    readonly passwords: pulumi.Input<Record<string, string>>;
    /**
     * ACLs of users whose credentials kafka-env keeps elsewhere (kafka-ui's read-only user, stored
     * with the admin's), by user. Default: none.
     */
    readonly ownAcls?: Readonly<Record<string, readonly ResolvedAcl[]>>;
    /** What must exist first: the admin's credential (the brokers ready before it). */
    readonly after: pulumi.Input<pulumi.Resource>[];
}

export class KafkaAccess extends pulumi.ComponentResource {
    /** By user name. */
    public readonly credentials: Readonly<Record<string, kafka.UserScramCredential>>;
    /** By binding key (`aclBindings`). */
    public readonly acls: Readonly<Record<string, kafka.Acl>>;

    constructor(name: string, args: KafkaAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kafka-env:kafka:Access", name, {}, opts);
        const child = { parent: this, provider: args.provider, dependsOn: args.after };
        const credentials: Record<string, kafka.UserScramCredential> = {};
        const acls: Record<string, kafka.Acl> = {};
        const passwords = pulumi.secret(args.passwords);
        for (const user of args.users) {
            credentials[user.name] = new kafka.UserScramCredential(
                `${name}-user-${user.name}`,
                {
                    username: user.name,
                    scramMechanism: args.mechanism,
                    scramIterations: SCRAM_ITERATIONS,
                    password: pulumi.secret(passwords.apply((p) => p[user.name])),
                },
                child,
            );
        }
        const bound = [...args.users.map((u) => [u.name, u.acls] as const), ...Object.entries(args.ownAcls ?? {})];
        for (const [user, userAcls] of bound) {
            for (const b of aclBindings(user, userAcls)) {
                acls[b.key] = new kafka.Acl(
                    `${name}-acl-${b.key}`,
                    {
                        aclPrincipal: b.principal,
                        aclHost: b.host,
                        aclOperation: b.operation,
                        aclPermissionType: b.permission,
                        aclResourceType: b.resourceType,
                        aclResourceName: b.resourceName,
                        resourcePatternTypeFilter: b.patternType,
                    },
                    // A binding goes before the user's credential does, while the admin still logs in.
                    { ...child, dependsOn: [...args.after, ...(credentials[user] ? [credentials[user]] : [])] },
                );
            }
        }
        this.credentials = credentials;
        this.acls = acls;
        this.registerOutputs({});
    }
}
