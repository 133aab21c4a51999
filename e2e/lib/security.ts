/**
 * How the end-to-end clients log in to a secured stack: the SCRAM login and the CA to trust, read
 * from the stack's outputs (`adminCredentials`, `userCredentials`, `caCertificate`), for
 * @platformatic/kafka on the host and for Kafka's own tools in containers (a client properties
 * file beside a `ca.crt`).
 */
import { PulumiStack } from "./pulumi";

export interface ClientLogin {
    readonly username: string;
    readonly password: string;
    readonly mechanism: "SCRAM-SHA-256" | "SCRAM-SHA-512";
    /** The CA's certificate (PEM) to trust: the listeners speak TLS. */
    readonly ca?: string;
}

interface Credential {
    readonly username: string;
    readonly password: string;
    readonly mechanism: ClientLogin["mechanism"];
}

/** The secured stack's logins: its admin's and each user's, with its CA. */
export interface StackLogins {
    readonly admin: ClientLogin;
    readonly users: Readonly<Record<string, ClientLogin>>;
    readonly ca: string;
}

/** The logins a stack's outputs give; undefined when the stack is not secured. */
export function stackLogins(stack: PulumiStack): StackLogins | undefined {
    const outputs = stack.secretOutputs();
    const ca = outputs.caCertificate as string | undefined;
    const admin = outputs.adminCredentials as Credential | undefined;
    if (!ca || !admin) return undefined;
    const users = (outputs.userCredentials ?? {}) as Record<string, Credential>;
    return { admin: { ...admin, ca }, users: Object.fromEntries(Object.entries(users).map(([n, c]) => [n, { ...c, ca }])), ca };
}

/** Kafka client properties for `login`, its CA read from `caFile`; none (PLAINTEXT) without a login. */
export function clientProperties(login: ClientLogin | undefined, caFile: string): string {
    if (!login) return "";
    const lines = [
        `security.protocol=${login.ca ? "SASL_SSL" : "SASL_PLAINTEXT"}`,
        `sasl.mechanism=${login.mechanism}`,
        `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${login.username}" password="${login.password}";`,
    ];
    if (login.ca) lines.push("ssl.truststore.type=PEM", `ssl.truststore.location=${caFile}`);
    return `${lines.join("\n")}\n`;
}

/**
 * The options of a Kafka tool run inside a broker container as that broker (its certificate, over
 * REPLICATION) on a secured stack; over INTERNAL, as before, otherwise.
 */
export function brokerToolArgs(secured: boolean): string {
    return secured ? "--bootstrap-server localhost:29094 --command-config /etc/kafka/secrets/client.properties" : "--bootstrap-server localhost:29092";
}
