/**
 * The SCRAM credentials of kafka-env's own users (its admin, and kafka-ui's read-only user), as a
 * bash script run where Kafka's tools run (`KafkaTools`: `docker exec` in a broker, a Job on
 * Kubernetes). They are stored through the Kafka API by the cluster's own identity, a certificate
 * over REPLICATION (`toolConnection`): the admin cannot create its own credential by logging in as
 * itself, so it cannot go through the provider that logs in as the admin.
 *
 * Credentials reach the brokers asynchronously (ZooKeeper watches, the KRaft metadata log), so the
 * script then asks every broker, as the admin, until each accepts the login: whatever logs in as
 * the admin next (the topics provider) never races them. Passwords arrive in variables
 * (`KAFKA_ENV_PASSWORD_<n>`, on stdin on Docker) and never appear in what the script prints.
 */
import { AdminAccess, adminArgs } from "./admin";
import { kafkaCheckTool, kafkaToolVar } from "./images";
import { TLS_FILES, scramJaasConfig } from "./security";
import { shellQuote } from "./topicScript";
import { Protocol, ScramMechanism } from "./types";

/** The SCRAM iterations of every credential kafka-env stores (Kafka's default is 4096). */
export const SCRAM_ITERATIONS = 8192;

export interface CredentialChanges {
    readonly mechanism: ScramMechanism;
    /** Users whose credential is stored (new, or a new password); the n-th reads `KAFKA_ENV_PASSWORD_<n>`. */
    readonly store: readonly string[];
    /** Users kafka-env no longer has: their credentials are deleted. */
    readonly remove: readonly string[];
    /** The mechanism the stored users had before, when it changed: that credential is deleted. */
    readonly staleMechanism?: ScramMechanism;
    /** The user every broker must accept before the script ends (the admin), with its variable's index. */
    readonly verify?: { readonly user: string; readonly index: number };
    /** The client listeners (INTERNAL addresses, comma-separated) and their protocol. */
    readonly clients: { readonly bootstrap: string; readonly protocol: Protocol };
    readonly timeoutSeconds: number;
}

/** The variable holding the password of the n-th user of `store`. */
export function passwordVariable(index: number): string {
    return `KAFKA_ENV_PASSWORD_${index}`;
}

/** Whether a script's variable holds a password (a target must keep it out of anything it shows). */
export function isPasswordVariable(name: string): boolean {
    return name.startsWith("KAFKA_ENV_PASSWORD_");
}

/** Client properties that log in as `user` with the password in `$<variable>`, as printf arguments (expanded by bash). */
function loginProperties(c: CredentialChanges, user: string, variable: string): string[] {
    const jaas = scramJaasConfig(user, `\${${variable}}`).replace(/"/g, '\\"');
    const lines = [`'security.protocol=${c.clients.protocol}'`, `'sasl.mechanism=${c.mechanism}'`, `"sasl.jaas.config=${jaas}"`];
    if (c.clients.protocol === "SASL_SSL") lines.push(`'ssl.truststore.type=PEM'`, `'ssl.truststore.location=${TLS_FILES.ca}'`);
    return lines;
}

export function credentialScript(access: AdminAccess, c: CredentialChanges): string {
    const user = (name: string) => `--entity-type users --entity-name ${shellQuote(name)}`;
    const lines = [
        "set -u",
        kafkaToolVar("kafka-configs"),
        `configs() { out=$("$t" ${adminArgs(access, "kafka-configs")} --alter "$@" 2>&1) || { sed -E 's/password=[^],]*/password=(hidden)/g' <<<"$out"; return 1; }; }`,
    ];
    c.store.forEach((name, i) => {
        const credential = `${c.mechanism}=[iterations=${SCRAM_ITERATIONS},password=\${${passwordVariable(i)}}]`;
        lines.push(`configs ${user(name)} --add-config "${credential}" || exit 1`, `echo "stored the ${c.mechanism} credential of ${name}"`);
        // Absent already when the user never had it: not a failure.
        if (c.staleMechanism) lines.push(`configs ${user(name)} --delete-config ${c.staleMechanism} >/dev/null || true`);
    });
    // A user removed while the mechanism changed had the old one.
    const removed = c.staleMechanism ?? c.mechanism;
    for (const name of c.remove) lines.push(`configs ${user(name)} --delete-config ${removed} >/dev/null && echo "deleted the credential of ${name}" || true`);
    const verify = c.verify;
    if (verify) {
        const tool = kafkaCheckTool("kafka-broker-api-versions", `--bootstrap-server ${shellQuote(c.clients.bootstrap)} --command-config "$f"`);
        lines.push(
            "f=$(mktemp); trap 'rm -f \"$f\"' EXIT",
            `printf '%s\\n' ${loginProperties(c, verify.user, passwordVariable(verify.index)).join(" ")} > "$f"`,
            `end=$((SECONDS + ${c.timeoutSeconds}))`,
            // Every broker is listed; one that refuses the login reads "-> ERROR: ...".
            `until out=$(${tool} 2>&1) && ! grep -q -- '-> ERROR' <<<"$out"; do`,
            `    if [ "$SECONDS" -ge "$end" ]; then tail -n 5 <<<"$out"; echo "kafka-env: the brokers did not all accept ${verify.user}'s login within ${c.timeoutSeconds} s" >&2; exit 1; fi`,
            "    sleep 2",
            "done",
            `echo "every broker accepts ${verify.user}'s login"`,
        );
    }
    return lines.join("\n");
}
