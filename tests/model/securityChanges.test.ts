/**
 * Security changes as `npm run diff` reads them, word for word: who gains or loses access (users and
 * ACLs), the changes between secured settings, and brokers exposed without authentication.
 */
import { strict as assert } from "node:assert";
import { passwordChangeReason } from "../../components/model/accessChanges";
import { compareClusters } from "../../components/model/changes";
import { ALL, BASE, Case, Cluster, checkCases, edit, side } from "./sides";

const SECURED = { authentication: "scram-sha-512", tls: true, authorization: true };
const ORDERS_APP = {
    name: "orders-app",
    acls: [
        { resource: "topic", name: "orders", operations: ["Write", "Describe"] },
        { resource: "topic", name: "payments", operations: ["Read", "Describe"] },
        { resource: "group", name: "orders-", patternType: "prefixed", operations: ["Read"] },
    ],
};
const WITH_USERS: Cluster = { ...BASE, security: SECURED, users: [ORDERS_APP] };
const acls = (c: Cluster) => c.users[0].acls as Cluster[];
const security = (settings: object, base: Cluster = BASE) => edit((c) => (c.security = settings), base);
const APP = 'cluster.users["orders-app"]';

const ACCESS: Case[] = [
    [
        "a user added: safe, with what it may do",
        WITH_USERS,
        edit((c) => c.users.push({ name: "audit", acls: [{ resource: "cluster", operations: ["Describe"] }] }), WITH_USERS),
        'cluster.users["audit"]',
        "safe",
        "audit can connect (SCRAM-SHA-512) with 1 ACL: Describe on the cluster",
    ],
    [
        "a user added without ACLs: safe, and it may do nothing yet",
        WITH_USERS,
        edit((c) => c.users.push({ name: "idle" }), WITH_USERS),
        'cluster.users["idle"]',
        "safe",
        "idle can connect (SCRAM-SHA-512) with 0 ACLs; no ACL allows it anything yet",
    ],
    [
        "an ACL added: safe",
        WITH_USERS,
        edit((c) => acls(c).push({ resource: "topic", name: "refunds", operations: ["Write"] }), WITH_USERS),
        `${APP}.acls["topic:refunds"]`,
        "safe",
        "orders-app gains Write on topic refunds",
    ],
    [
        "an operation taken away: dangerous, naming who loses what",
        WITH_USERS,
        edit((c) => (acls(c)[0].operations = ["Describe"]), WITH_USERS),
        `${APP}.acls["topic:orders"]`,
        "dangerous",
        "orders-app loses Write on topic orders",
    ],
    [
        "a prefixed ACL removed: dangerous",
        WITH_USERS,
        edit((c) => acls(c).pop(), WITH_USERS),
        `${APP}.acls["group:orders-*"]`,
        "dangerous",
        'orders-app loses Read on groups starting with "orders-"',
    ],
    [
        "operations traded: dangerous, with both",
        WITH_USERS,
        edit((c) => (acls(c)[1].operations = ["Write", "Describe"]), WITH_USERS),
        `${APP}.acls["topic:payments"]`,
        "dangerous",
        "orders-app loses Read on topic payments; gains Write",
    ],
    [
        "a deny added: dangerous",
        WITH_USERS,
        edit((c) => acls(c).push({ resource: "topic", name: "*", operations: ["Delete"], permission: "deny", host: "10.0.0.9" }), WITH_USERS),
        `${APP}.acls["deny topic:* from 10.0.0.9"]`,
        "dangerous",
        "orders-app is denied Delete on every topic from 10.0.0.9",
    ],
    [
        "a user removed: dangerous, with everything it loses",
        WITH_USERS,
        edit((c) => (c.users = []), WITH_USERS),
        APP,
        "dangerous",
        'orders-app is removed: its credential is deleted, so clients using it can no longer connect, and loses Read on groups starting with "orders-"; ' +
            "Write, Describe on topic orders; Read, Describe on topic payments",
    ],
];

const SETTINGS: Case[] = [
    [
        "authentication turned on while TLS stays on: dangerous, each broker restarts",
        security({ tls: true }),
        security({ tls: true, authentication: "scram-sha-512" }),
        "cluster.security.authentication",
        "dangerous",
        `clients without credentials are disconnected as each broker restarts: every client needs a user and its password; ${ALL}`,
    ],
    [
        "authentication turned off with the ports open: dangerous, and says so",
        security(
            { tls: true, authentication: "scram-sha-256" },
            edit((c) => (c.listeners = { bindAddress: "0.0.0.0" })),
        ),
        security(
            { tls: true },
            edit((c) => (c.listeners = { bindAddress: "0.0.0.0" })),
        ),
        "cluster.security.authentication",
        "dangerous",
        "clients connect without credentials: anyone who reaches a listener is let in, and users' credentials go unused, " +
            `and the brokers are published on every network interface (bindAddress 0.0.0.0); ${ALL}`,
    ],
    [
        "the SCRAM mechanism changed: dangerous",
        security({ authentication: "scram-sha-256" }),
        security({ authentication: "scram-sha-512" }),
        "cluster.security.authentication",
        "dangerous",
        `scram-sha-256 → scram-sha-512: every user's credential is replaced with one for the new mechanism, and clients must switch mechanism; ${ALL}`,
    ],
    [
        "TLS turned on: dangerous",
        security({ authentication: "scram-sha-512" }),
        security({ authentication: "scram-sha-512", tls: true }),
        "cluster.security.tls",
        "dangerous",
        `clients must connect with TLS and trust the stack output caCertificate: PLAINTEXT clients are disconnected as each broker restarts; ${ALL}`,
    ],
    [
        "authorization turned on: dangerous",
        security({ authentication: "scram-sha-512" }),
        security({ authentication: "scram-sha-512", authorization: true }),
        "cluster.security.authorization",
        "dangerous",
        `ACLs are enforced: every client without an ACL for what it does is refused (users without ACLs lose all access); ${ALL}`,
    ],
    [
        "authorization turned off: dangerous",
        security({ authentication: "scram-sha-512", authorization: true }),
        security({ authentication: "scram-sha-512" }),
        "cluster.security.authorization",
        "dangerous",
        `ACLs are no longer enforced: every authenticated client may read, write and delete every topic; ${ALL}`,
    ],
    [
        "certificate lifetimes: safe, from the next certificate on",
        security({ tls: true }),
        security({ tls: true, certificates: { validityDays: 90, renewalDays: 15 } }),
        "cluster.security.certificates.validityDays",
        "safe",
        "applies to certificates issued from now on (renewals, new nodes); the certificates in use are kept",
    ],
    [
        "ports opened with authentication but kafka-ui without a login: dangerous",
        security({ authentication: "scram-sha-512" }),
        edit((c) => (c.listeners = { bindAddress: "0.0.0.0" }), security({ authentication: "scram-sha-512" })),
        "cluster.listeners.bindAddress",
        "dangerous",
        `published ports open on every network interface: kafka-ui has no login (kafkaUi.username), so anyone who reaches this machine uses Kafka through it; ${ALL}`,
    ],
    [
        "ports opened with authentication and no kafka-ui: the brokers restart",
        security(
            { authentication: "scram-sha-512" },
            edit((c) => (c.kafkaUi = { enabled: false })),
        ),
        edit(
            (c) => (c.listeners = { bindAddress: "0.0.0.0" }),
            security(
                { authentication: "scram-sha-512" },
                edit((c) => (c.kafkaUi = { enabled: false })),
            ),
        ),
        "cluster.listeners.bindAddress",
        "restart",
        ALL,
    ],
];

describe("access changes: who gains or loses what", () => checkCases(ACCESS));
describe("changes between secured settings, and exposure", () => checkCases(SETTINGS));

describe("access changes, beyond the table", () => {
    it("users and ACLs restart nothing and leave the other settings alone", () => {
        const changes = compareClusters(side(WITH_USERS), side(edit((c) => (c.users = [{ name: "audit" }]), WITH_USERS)));
        assert.deepEqual(
            changes.map((c) => c.path),
            ['cluster.users["audit"]', APP],
        );
        assert.deepEqual(changes[0].after, {});
        assert.deepEqual(changes[1].before, { "group:orders-*": ["Read"], "topic:orders": ["Write", "Describe"], "topic:payments": ["Read", "Describe"] });
    });

    it("a user's password changes in Kafka terms, never shown; other secrets keep the generic reason", () => {
        assert.equal(
            passwordChangeReason("userPasswords.orders-app", "changed"),
            "orders-app's password changed (compared as ciphertext, never decrypted; re-encrypting the same value also shows here): " +
                "if the value is new, its SCRAM credential is replaced in place (no restart); clients still using the old password fail to authenticate",
        );
        assert.equal(
            passwordChangeReason("userPasswords.orders-app", "removed"),
            "orders-app's password is generated from now on: its SCRAM credential is replaced in place (no restart); clients still using the old password fail to authenticate",
        );
        assert.equal(passwordChangeReason("kafkaUiPassword", "changed"), undefined);
    });
});
