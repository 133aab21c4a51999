/**
 * Semantic checks of `cluster.security`, `cluster.users` and the security secrets, in the manner of
 * `validate.ts`: every problem is collected, none thrown, each names the key, the value and the fix.
 */
import { isIP } from "node:net";
import { RESOURCE_OPERATIONS } from "./acls";
import { AclConfig, ClusterConfig } from "./config";
import { Problem, show } from "./problems";
import { ResolvedConfig } from "./resolve";
import { PROBE_PORT, RESERVED_USERS, isSecured, securityOwner } from "./security";
import { dnsLabel } from "./dnsLabel";

/** Which security secrets the stack sets (their values are never read here). */
export interface SecuritySecrets {
    /** The users `kafka-env:userPasswords` names; undefined when it is one secret value, whose names cannot be seen. */
    readonly userPasswords?: readonly string[];
    /** Whether `kafka-env:caCertificate` and `kafka-env:caKey` are set. */
    readonly caCertificate: boolean;
    readonly caKey: boolean;
}

export const NO_SECURITY_SECRETS: SecuritySecrets = { userPasswords: [], caCertificate: false, caKey: false };

/**
 * The security secrets among a stack's `kafka-env:*` values (by key without the namespace):
 * `userPasswords` as a map shows its user names (set with `pulumi config set --secret --path
 * 'userPasswords.<user>'`), as one value it shows none.
 */
export function securitySecretsOf(values: Readonly<Record<string, unknown>>): SecuritySecrets {
    const passwords = values.userPasswords;
    const names = passwords === undefined ? [] : typeof passwords === "object" && passwords !== null ? Object.keys(passwords).sort() : undefined;
    return { userPasswords: names, caCertificate: values.caCertificate !== undefined, caKey: values.caKey !== undefined };
}

/** A Kafka user name kafka-env accepts: no `,`, `=` or spaces, which principals and SCRAM tools treat specially. */
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

type Add = (path: string, message: string) => void;

export function validateSecurity(raw: ClusterConfig, c: ResolvedConfig, secrets: SecuritySecrets): Problem[] {
    const problems: Problem[] = [];
    const add: Add = (path, message) => problems.push({ path, message });
    checkSettings(c, add);
    checkUsers(raw, c, add);
    checkSecrets(c, secrets, add);
    if (isSecured(c.security)) checkPorts(c, add);
    for (const key of Object.keys(c.brokerConfig)) {
        const owner = securityOwner(key);
        if (owner) add(`cluster.brokerConfig.${key}`, `is managed by kafka-env (${owner}); remove it from cluster.brokerConfig`);
    }
    return problems;
}

function checkSettings(c: ResolvedConfig, add: Add) {
    const s = c.security;
    if (s.authorization && s.authentication === "none") {
        add(
            "cluster.security.authorization",
            `is true but cluster.security.authentication is "none": every client would be ANONYMOUS, and no ACL could tell one from another; set cluster.security.authentication to "scram-sha-512"`,
        );
    }
    const { validityDays, renewalDays, caValidityDays } = s.certificates;
    if (renewalDays >= validityDays) {
        add(
            "cluster.security.certificates.renewalDays",
            `is ${renewalDays}, not below validityDays ${validityDays}: every pulumi up would renew the certificates; set it below ${validityDays}`,
        );
    }
    if (validityDays > caValidityDays) {
        add(
            "cluster.security.certificates.validityDays",
            `is ${validityDays}, beyond caValidityDays ${caValidityDays}: no certificate outlives the CA that signed it; set it to ${caValidityDays} or fewer`,
        );
    }
    if (c.zookeeper?.hostPort !== undefined && isSecured(s)) {
        add(
            "cluster.zookeeper.hostPort",
            "publishes ZooKeeper, which holds the ACLs and SCRAM credentials and lets anyone in, while cluster.security is on; remove it (with security on, only the environment's own network reaches ZooKeeper)",
        );
    }
}

function checkUsers(raw: ClusterConfig, c: ResolvedConfig, add: Add) {
    const users = raw.users ?? [];
    if (users.length > 0 && c.security.authentication === "none") {
        add(
            "cluster.users",
            `lists ${users.length === 1 ? "1 user" : `${users.length} users`} but cluster.security.authentication is "none", so no one could log in as them; set cluster.security.authentication to "scram-sha-512", or remove cluster.users`,
        );
    }
    const seen = new Set<string>();
    const labels = new Map<string, string>();
    users.forEach((user, i) => {
        const path = `cluster.users[${user.name === "" ? i : show(user.name)}]`;
        const label = dnsLabel(user.name);
        const twin = labels.get(label);
        if (!USER_NAME.test(user.name) || label === "")
            add(`${path}.name`, `is ${show(user.name)}; use 1-64 letters, digits, '.', '_' or '-', with a letter or digit`);
        else if (RESERVED_USERS.includes(user.name)) add(`${path}.name`, `${show(user.name)} is one of kafka-env's own users; choose another name`);
        else if (seen.has(user.name)) add(`${path}.name`, `${show(user.name)} is listed more than once; list each user once`);
        else if (twin !== undefined)
            add(
                `${path}.name`,
                `${show(user.name)} differs from ${show(twin)} only in case or in '.', '_' and '-': both would be the Kubernetes Secret "<env>-user-${label}"; rename one`,
            );
        seen.add(user.name);
        if (twin === undefined) labels.set(label, user.name);
        const acls = user.acls ?? [];
        if (acls.length > 0 && !c.security.authorization) {
            add(`${path}.acls`, "are not enforced while cluster.security.authorization is false; set it to true, or remove them");
        }
        acls.forEach((acl, j) => checkAcl(acl, `${path}.acls[${j}]`, add));
    });
}

function checkAcl(acl: AclConfig, path: string, add: Add) {
    const kind = acl.resource === "transactionalId" ? "transactional id" : acl.resource;
    if (acl.resource === "cluster") {
        if (acl.name !== undefined && acl.name !== "kafka-cluster")
            add(`${path}.name`, `is ${show(acl.name)}; a cluster ACL names "kafka-cluster" (or no name)`);
        if (acl.patternType === "prefixed") add(`${path}.patternType`, `is "prefixed"; a cluster ACL is literal`);
    } else if (acl.name === undefined || acl.name === "") {
        add(`${path}.name`, `is required for a ${kind} ACL; name the ${kind}, or "*" for every ${kind}`);
    } else if (acl.name === "*" && acl.patternType === "prefixed") {
        add(`${path}.patternType`, `is "prefixed" with the name "*"; use "literal" for every ${kind}`);
    }
    const allowed = RESOURCE_OPERATIONS[acl.resource];
    const foreign = [...new Set(acl.operations.filter((op) => !allowed.includes(op)))];
    if (acl.operations.length === 0) add(`${path}.operations`, "is empty; name at least one operation");
    else if (foreign.length > 0) {
        add(`${path}.operations`, `has ${foreign.map(show).join(", ")}, which a ${kind} does not have; a ${kind}'s operations are ${allowed.join(", ")}`);
    }
    if (acl.host !== undefined && acl.host !== "*" && isIP(acl.host) === 0) add(`${path}.host`, `is ${show(acl.host)}; use an IP address, or "*" for any`);
}

function checkSecrets(c: ResolvedConfig, secrets: SecuritySecrets, add: Add) {
    const users = new Set(c.users.map((u) => u.name));
    for (const name of secrets.userPasswords ?? []) {
        if (RESERVED_USERS.includes(name)) add(`userPasswords.${name}`, "is set, but kafka-env generates the passwords of its own users; remove it");
        else if (!users.has(name)) add(`userPasswords.${name}`, `is set but cluster.users has no user ${show(name)}; remove it, or add the user`);
    }
    if (secrets.caCertificate !== secrets.caKey) {
        const [missing, present] = secrets.caCertificate ? ["caKey", "caCertificate"] : ["caCertificate", "caKey"];
        add(missing, `is not set but kafka-env:${present} is; set both (the CA's certificate and its private key) or neither`);
    }
    if (secrets.caCertificate && !isSecured(c.security)) {
        add("caCertificate", "is set but every cluster.security setting is off; remove it, or turn security on");
    }
}

/** The ports security adds (REPLICATION, PROBE) against the others, while it is on. */
function checkPorts(c: ResolvedConfig, add: Add) {
    const l = c.listeners;
    const lastExternal = l.externalPort + c.brokers - 1;
    const others: [string, number][] = [["internalPort", l.internalPort]];
    if (c.mode === "kraft") others.push(["controllerPort", l.controllerPort]);
    const clash = others.find(([, p]) => p === l.replicationPort);
    if (clash) add("cluster.listeners.replicationPort", `is ${l.replicationPort}, the same as listeners.${clash[0]}; give each listener its own port`);
    else if (c.brokers >= 1 && l.replicationPort >= l.externalPort && l.replicationPort <= lastExternal) {
        add(
            "cluster.listeners.replicationPort",
            `is ${l.replicationPort}, inside the external ports ${l.externalPort}-${lastExternal} of the brokers; choose a port outside that range`,
        );
    }
    for (const [key, p] of [...others, ["replicationPort", l.replicationPort] as [string, number]]) {
        if (p === PROBE_PORT) {
            add(
                `cluster.listeners.${key}`,
                `is ${p}, the port of the health check listener (PROBE) kafka-env opens on 127.0.0.1 when security is on; choose another port`,
            );
        }
    }
    if (c.brokers >= 1 && PROBE_PORT >= l.externalPort && PROBE_PORT <= lastExternal) {
        add(
            "cluster.listeners.externalPort",
            `is ${l.externalPort}: the external ports ${l.externalPort}-${lastExternal} include ${PROBE_PORT}, the port of the health check listener (PROBE) when security is on; choose other ports`,
        );
    }
}
