/**
 * The secret half of a secured cluster, for either target: the CA and certificates
 * (`ClusterCertificates`), the SCRAM passwords (`Credentials`), what each file a node or kafka-ui
 * reads holds, and the stack outputs that tell clients how to connect. The adapters deliver the
 * files (Docker: container uploads; Kubernetes: Secrets) and run the steps; nothing here knows
 * where the cluster runs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClientSecurity } from "../kafka/connection";
import { ClusterModel, NodeFile, ScramMechanism } from "../model";
import { ADMIN_USER } from "../model/security";
import { ClusterCertificates, certificateInputs } from "./certificates";
import { TOOLS_HOLDER } from "./certificateSet";
import { Credentials } from "./credentials";
import { ownUsers } from "./ownCredentials";

/** The secret config a secured cluster reads (`kafka-env:userPasswords`, `caCertificate`, `caKey`). */
export interface SecurityConfig {
    /** By user name; secret. Default: none (every password generated). */
    readonly userPasswords?: pulumi.Input<Record<string, string>>;
    /** The CA to issue certificates from; secret. Default: one generated for the cluster. */
    readonly ca?: pulumi.Input<{ certPem: string; keyPem: string }>;
}

/** How a client logs in: the stack outputs `userCredentials` (by user) and `adminCredentials`. */
export interface ClientCredential {
    /** The SCRAM user name. */
    readonly username: string;
    /** Its password (secret). */
    readonly password: string;
    /** The SASL mechanism to log in with. */
    readonly mechanism: ScramMechanism;
}

/** The stack outputs of a secured cluster (absent otherwise). */
export interface SecurityOutputs {
    /** The CA's certificate (PEM): what clients trust. */
    readonly caCertificate?: pulumi.Output<string>;
    /** The earliest expiry of the nodes' and tools' certificates (ISO 8601). */
    readonly certificateExpiry?: pulumi.Output<string>;
    /** `cluster.users` by name; secret. With authentication. */
    readonly userCredentials?: pulumi.Output<Record<string, ClientCredential>>;
    /** kafka-env's own admin (a super user): for break-glass work and the end-to-end tests; secret. With authentication. */
    readonly adminCredentials?: pulumi.Output<ClientCredential>;
}

export class ClusterSecrets {
    readonly certificates: ClusterCertificates;
    /** With authentication. */
    readonly credentials?: Credentials;
    readonly outputs: SecurityOutputs;

    constructor(
        private readonly model: ClusterModel,
        config: SecurityConfig,
        opts: pulumi.CustomResourceOptions,
        /** What the target makes of the nodes' certificate names (Kubernetes: LoadBalancer addresses in place of their placeholders). */
        names?: (nodes: Record<string, string[]>) => pulumi.Input<Record<string, string[]>>,
    ) {
        const security = model.security!;
        const inputs = certificateInputs(model)!;
        const nodes = names ? names(inputs.nodes as Record<string, string[]>) : inputs.nodes;
        this.certificates = new ClusterCertificates(`${model.name}-certificates`, { ...inputs, nodes, ...(config.ca ? { givenCa: config.ca } : {}) }, opts);
        const mechanism = security.mechanism;
        if (mechanism) {
            const users = [...ownUsers(model), ...security.users.map((u) => u.name)].sort();
            this.credentials = new Credentials(`${model.name}-credentials`, { users, given: config.userPasswords }, opts);
        }
        const credential = (user: string): pulumi.Output<ClientCredential> =>
            this.password(user).apply((password) => ({ username: user, password, mechanism: mechanism! }));
        this.outputs = {
            caCertificate: this.certificates.caCertificate,
            certificateExpiry: this.certificates.notAfter,
            ...(mechanism
                ? {
                      userCredentials: pulumi.secret(
                          pulumi.all(Object.fromEntries(security.users.map((u) => [u.name, credential(u.name)]))) as pulumi.Output<
                              Record<string, ClientCredential>
                          >,
                      ),
                      adminCredentials: pulumi.secret(credential(ADMIN_USER)),
                  }
                : {}),
        };
    }

    /** `user`'s SCRAM password; secret. */
    password(user: string): pulumi.Output<string> {
        if (!this.credentials) throw new Error(`kafka-env: ${this.model.name} has no SCRAM users (authentication is none)`);
        return pulumi.secret(this.credentials.passwords.apply((p) => p[user]));
    }

    /** kafka-env's own users and their passwords (the admin's step); secret. */
    ownPasswords(): pulumi.Output<Record<string, string>> {
        return pulumi.secret(pulumi.all(Object.fromEntries(ownUsers(this.model).map((u) => [u, this.password(u)]))));
    }

    /** How kafka-env's own clients (the `@pulumi/kafka` provider) log in: TLS trusting the CA, SCRAM as the admin. */
    clientSecurity(): ClientSecurity {
        const s = this.model.security!;
        const sasl = s.mechanism ? { sasl: { mechanism: s.mechanism, username: ADMIN_USER, password: this.password(ADMIN_USER) } } : {};
        return { tls: s.settings.tls, ...(s.settings.tls ? { caCertificate: this.certificates.caCertificate } : {}), ...sasl };
    }

    /** What `file` holds for `holder` (a node's name, or the tools); a secret when the file is. */
    content(file: NodeFile, holder: string): pulumi.Output<string> {
        const source = file.source;
        if (source.kind === "text") return pulumi.output(source.text);
        if (source.kind === "caCertificate") return this.certificates.caCertificate;
        const name = source.holder === "tools" ? TOOLS_HOLDER : holder;
        return pulumi.secret(this.certificates.keystores.apply((k) => k[name]));
    }
}
