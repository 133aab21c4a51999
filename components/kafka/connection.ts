/**
 * How kafka-env's `@pulumi/kafka` provider logs in to a secured cluster: TLS trusting the
 * cluster's CA, with host names verified, and SCRAM as kafka-env's admin. Every setting is given,
 * none left to the provider's defaults (`tlsEnabled` defaults to true, `saslMechanism` to plain).
 * A Kubernetes cluster whose topics go through the provider logs in the same way.
 */
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { ScramMechanism } from "../model";

export interface ClientSecurity {
    /** The client listeners speak TLS (SSL, SASL_SSL). */
    readonly tls: boolean;
    /** The CA's certificate (PEM), with `tls`. */
    readonly caCertificate?: pulumi.Input<string>;
    /** The SCRAM login, with authentication on. */
    readonly sasl?: { readonly mechanism: ScramMechanism; readonly username: string; readonly password: pulumi.Input<string> };
}

type SecurityArgs = Pick<kafka.ProviderArgs, "tlsEnabled" | "caCert" | "skipTlsVerify" | "saslMechanism" | "saslUsername" | "saslPassword">;

/** The provider's settings for `security`; plaintext (as before security existed) when it is undefined. */
export function providerSecurity(security: ClientSecurity | undefined): SecurityArgs {
    if (!security) return { tlsEnabled: false };
    const args: SecurityArgs = security.tls ? { tlsEnabled: true, caCert: security.caCertificate, skipTlsVerify: false } : { tlsEnabled: false };
    const sasl = security.sasl;
    if (!sasl) return args;
    return {
        ...args,
        saslMechanism: sasl.mechanism === "SCRAM-SHA-256" ? "scram-sha256" : "scram-sha512",
        saslUsername: sasl.username,
        saslPassword: pulumi.secret(sasl.password),
    };
}
