/**
 * What a change of `cluster.security` does to a running cluster, and whether brokers become
 * reachable by anyone. Turning security on or off altogether is refused by the cluster guard
 * (`refusals`, day2.ts; `withRefusals` lays that over these verdicts); these are the verdicts for
 * the changes between secured settings, which roll the nodes once, and for a new guard.
 */
import { Authentication } from "./config";
import { ResolvedConfig } from "./resolve";
import { ChangeContext, ClusterSide, Verdict, dangerous, restartsFor, safe, withRestarts } from "./verdict";

/** Host addresses that publish a port on every interface. */
export const OPEN_ADDRESSES: readonly string[] = ["0.0.0.0", "::", "[::]"];

/** The broker properties each setting changes: the nodes whose restart reasons name one of them restart for it. */
const SETTING_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
    authentication: ["listener.security.protocol.map", "sasl.enabled.mechanisms"],
    tls: ["listener.security.protocol.map"],
    authorization: ["authorizer.class.name", "super.users", "allow.everyone.if.no.acl.found"],
};

/** The verdict on `cluster.security.<key>`. */
export function securityVerdict(c: ChangeContext, key: string, before: unknown, after: unknown): Verdict {
    const setting = key.slice("security.".length);
    if (setting.startsWith("certificates.")) {
        return safe("applies to certificates issued from now on (renewals, new nodes); the certificates in use are kept");
    }
    const rolls = restartsFor(c, SETTING_PROPERTIES[setting] ?? "any", (r) => !r.roles.includes("zookeeper"));
    return withRestarts(dangerous(settingRisk(c, setting, before, after)), rolls);
}

function settingRisk(c: ChangeContext, setting: string, before: unknown, after: unknown): string {
    const config = c.after.config;
    if (setting === "authentication") {
        const exposed = after === "none" ? exposure(c.after) : undefined;
        return authenticationRisk(before as Authentication, after as Authentication) + (exposed ? `, and ${exposed}` : "");
    }
    if (setting === "tls") {
        return after
            ? "clients must connect with TLS and trust the stack output caCertificate: PLAINTEXT clients are disconnected as each broker restarts"
            : "clients must connect without TLS: TLS clients are disconnected as each broker restarts, and traffic is no longer encrypted";
    }
    if (after) return "ACLs are enforced: every client without an ACL for what it does is refused (users without ACLs lose all access)";
    return `ACLs are no longer enforced: every ${config.security.authentication === "none" ? "client" : "authenticated client"} may read, write and delete every topic`;
}

function authenticationRisk(before: Authentication, after: Authentication): string {
    if (before === "none") return "clients without credentials are disconnected as each broker restarts: every client needs a user and its password";
    if (after === "none") return "clients connect without credentials: anyone who reaches a listener is let in, and users' credentials go unused";
    return `${before} → ${after}: every user's credential is replaced with one for the new mechanism, and clients must switch mechanism`;
}

/** Whether clients must authenticate: exposing brokers without it lets anyone in. */
export function authenticated(config: ResolvedConfig): boolean {
    return config.security.authentication !== "none";
}

/** Where the brokers can be reached from outside their host or cluster, as a phrase; undefined when they cannot. */
export function exposure(side: ClusterSide): string | undefined {
    if (side.target === "docker") {
        const address = side.config.listeners.bindAddress;
        return OPEN_ADDRESSES.includes(address) ? `the brokers are published on every network interface (bindAddress ${address})` : undefined;
    }
    return side.model.bootstrapServers.length > 0 ? "the brokers are reachable from outside the Kubernetes cluster (kubernetes.external)" : undefined;
}
