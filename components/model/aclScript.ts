/**
 * ACL bindings (aclBindings.ts) added and removed with Kafka's `kafka-acls`, as a bash script: the
 * Job-mode counterpart of `@pulumi/kafka`'s `Acl` (Kubernetes with `kubernetes.topics: job`, where
 * `pulumi` does not reach the brokers). Run as the tools identity, a super user. Adding a binding
 * that exists and removing one that does not are no-ops in Kafka, so a retried script converges.
 */
import { AdminAccess, adminArgs } from "./admin";
import { AclBinding } from "./aclBindings";
import { kafkaToolVar } from "./images";
import { shellQuote } from "./topicScript";

/** The `kafka-acls` options that name one binding. */
export function aclOptions(b: AclBinding): string {
    const who = b.permission === "Deny" ? "deny" : "allow";
    const resource =
        b.resourceType === "Cluster"
            ? "--cluster"
            : `--${b.resourceType === "TransactionalID" ? "transactional-id" : b.resourceType.toLowerCase()} ${shellQuote(b.resourceName)}`;
    return [
        `--${who}-principal ${shellQuote(b.principal)}`,
        `--${who}-host ${shellQuote(b.host)}`,
        `--operation ${b.operation}`,
        resource,
        `--resource-pattern-type ${b.patternType.toLowerCase()}`,
    ].join(" ");
}

/** The bindings of `news` that `olds` lacks, by key and principal. */
export function bindingsMissing(news: readonly AclBinding[], olds: readonly AclBinding[]): AclBinding[] {
    const have = new Set(olds.map((b) => `${b.principal} ${b.key}`));
    return news.filter((b) => !have.has(`${b.principal} ${b.key}`));
}

/** Adds `add` and removes `remove`, each named in what it prints; undefined when there is nothing to do. */
export function aclScript(access: AdminAccess, add: readonly AclBinding[], remove: readonly AclBinding[]): string | undefined {
    if (add.length === 0 && remove.length === 0) return undefined;
    const lines = ["set -u", kafkaToolVar("kafka-acls"), `acls() { "$t" ${adminArgs(access, "kafka-acls")} "$@" >/dev/null; }`];
    for (const b of remove) lines.push(`acls --remove --force ${aclOptions(b)} || exit 1`, `echo ${shellQuote(`removed ${b.key}`)}`);
    for (const b of add) lines.push(`acls --add ${aclOptions(b)} || exit 1`, `echo ${shellQuote(`added ${b.key}`)}`);
    return lines.join("\n");
}
