/** `cluster.security`, `cluster.users` and the security secrets: defaults, and every rule's message word for word. */
import { strict as assert } from "node:assert";
import { ConfigError, Problem, SecuritySecrets, resolveConfig } from "../../components/model";
import { securitySecretsOf } from "../../components/model/validateSecurity";

function problemsOf(cluster: unknown, securitySecrets?: SecuritySecrets): Problem[] {
    try {
        resolveConfig({ cluster, stack: "test", hasKafkaUiPassword: false, securitySecrets });
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
}

const SCRAM = { authentication: "scram-sha-512" };
const SECURED = { authentication: "scram-sha-512", tls: true, authorization: true };
const ORDERS = { name: "orders-app", acls: [{ resource: "topic", name: "orders", operations: ["Write", "Describe"] }] };
const NONE: SecuritySecrets = { userPasswords: [], caCertificate: false, caKey: false };

/** [rule, cluster, secrets, path, message]. */
const CASES: [string, Record<string, unknown>, SecuritySecrets, string, string][] = [
    [
        "authorization without authentication",
        { security: { tls: true, authorization: true } },
        NONE,
        "cluster.security.authorization",
        'is true but cluster.security.authentication is "none": every client would be ANONYMOUS, and no ACL could tell one from another; set cluster.security.authentication to "scram-sha-512"',
    ],
    [
        "users without authentication",
        { security: { tls: true }, users: [{ name: "a" }, { name: "b" }] },
        NONE,
        "cluster.users",
        'lists 2 users but cluster.security.authentication is "none", so no one could log in as them; set cluster.security.authentication to "scram-sha-512", or remove cluster.users',
    ],
    [
        "ACLs without authorization",
        { security: SCRAM, users: [ORDERS] },
        NONE,
        'cluster.users["orders-app"].acls',
        "are not enforced while cluster.security.authorization is false; set it to true, or remove them",
    ],
    [
        "a user name with a comma",
        { security: SCRAM, users: [{ name: "CN=x,O=y" }] },
        NONE,
        'cluster.users["CN=x,O=y"].name',
        `is "CN=x,O=y"; use 1-64 letters, digits, '.', '_' or '-', with a letter or digit`,
    ],
    [
        "an empty user name",
        { security: SCRAM, users: [{ name: "" }] },
        NONE,
        "cluster.users[0].name",
        `is ""; use 1-64 letters, digits, '.', '_' or '-', with a letter or digit`,
    ],
    [
        "a user name of punctuation only",
        { security: SCRAM, users: [{ name: "._-" }] },
        NONE,
        'cluster.users["._-"].name',
        `is "._-"; use 1-64 letters, digits, '.', '_' or '-', with a letter or digit`,
    ],
    [
        "two users that differ only in case and punctuation",
        { security: SCRAM, users: [{ name: "orders-app" }, { name: "Orders_App" }] },
        NONE,
        'cluster.users["Orders_App"].name',
        `"Orders_App" differs from "orders-app" only in case or in '.', '_' and '-': both would be the Kubernetes Secret "<env>-user-orders-app"; rename one`,
    ],
    [
        "kafka-env's own user",
        { security: SCRAM, users: [{ name: "kafka-env-admin" }] },
        NONE,
        'cluster.users["kafka-env-admin"].name',
        '"kafka-env-admin" is one of kafka-env\'s own users; choose another name',
    ],
    [
        "a user listed twice",
        { security: SCRAM, users: [{ name: "a" }, { name: "a" }] },
        NONE,
        'cluster.users["a"].name',
        '"a" is listed more than once; list each user once',
    ],
    [
        "a topic ACL without a name",
        { security: SECURED, users: [{ name: "a", acls: [{ resource: "topic", operations: ["Read"] }] }] },
        NONE,
        'cluster.users["a"].acls[0].name',
        'is required for a topic ACL; name the topic, or "*" for every topic',
    ],
    [
        "a cluster ACL naming something else",
        { security: SECURED, users: [{ name: "a", acls: [{ resource: "cluster", name: "prod", operations: ["Describe"] }] }] },
        NONE,
        'cluster.users["a"].acls[0].name',
        'is "prod"; a cluster ACL names "kafka-cluster" (or no name)',
    ],
    [
        "a prefixed cluster ACL",
        { security: SECURED, users: [{ name: "a", acls: [{ resource: "cluster", patternType: "prefixed", operations: ["Describe"] }] }] },
        NONE,
        'cluster.users["a"].acls[0].patternType',
        'is "prefixed"; a cluster ACL is literal',
    ],
    [
        "a prefixed wildcard",
        { security: SECURED, users: [{ name: "a", acls: [{ resource: "group", name: "*", patternType: "prefixed", operations: ["Read"] }] }] },
        NONE,
        'cluster.users["a"].acls[0].patternType',
        'is "prefixed" with the name "*"; use "literal" for every group',
    ],
    [
        "an operation the resource lacks",
        { security: SECURED, users: [{ name: "a", acls: [{ resource: "group", name: "g", operations: ["Read", "Write", "Alter"] }] }] },
        NONE,
        'cluster.users["a"].acls[0].operations',
        `has "Write", "Alter", which a group does not have; a group's operations are All, Read, Delete, Describe`,
    ],
    [
        "no operations",
        { security: SECURED, users: [{ name: "a", acls: [{ resource: "transactionalId", name: "tx", operations: [] }] }] },
        NONE,
        'cluster.users["a"].acls[0].operations',
        "is empty; name at least one operation",
    ],
    [
        "a host that is not an address",
        { security: SECURED, users: [{ name: "a", acls: [{ resource: "topic", name: "t", operations: ["Read"], host: "app.example.com" }] }] },
        NONE,
        'cluster.users["a"].acls[0].host',
        'is "app.example.com"; use an IP address, or "*" for any',
    ],
    [
        "a password for a user not listed",
        { security: SCRAM, users: [{ name: "a" }] },
        { ...NONE, userPasswords: ["a", "bob"] },
        "userPasswords.bob",
        'is set but cluster.users has no user "bob"; remove it, or add the user',
    ],
    [
        "a password for kafka-env's admin",
        { security: SCRAM },
        { ...NONE, userPasswords: ["kafka-env-admin"] },
        "userPasswords.kafka-env-admin",
        "is set, but kafka-env generates the passwords of its own users; remove it",
    ],
    [
        "a CA certificate without its key",
        { security: { tls: true } },
        { ...NONE, caCertificate: true },
        "caKey",
        "is not set but kafka-env:caCertificate is; set both (the CA's certificate and its private key) or neither",
    ],
    [
        "a CA while security is off",
        {},
        { ...NONE, caCertificate: true, caKey: true },
        "caCertificate",
        "is set but every cluster.security setting is off; remove it, or turn security on",
    ],
    [
        "ZooKeeper published while secured",
        { mode: "zookeeper", zookeeper: { hostPort: 2181 }, security: { tls: true } },
        NONE,
        "cluster.zookeeper.hostPort",
        "publishes ZooKeeper, which holds the ACLs and SCRAM credentials and lets anyone in, while cluster.security is on; remove it (with security on, only the environment's own network reaches ZooKeeper)",
    ],
    [
        "renewal as long as the validity",
        { security: { tls: true, certificates: { validityDays: 30, renewalDays: 30 } } },
        NONE,
        "cluster.security.certificates.renewalDays",
        "is 30, not below validityDays 30: every pulumi up would renew the certificates; set it below 30",
    ],
    [
        "certificates outliving the CA",
        { security: { tls: true, certificates: { validityDays: 2000 } } },
        NONE,
        "cluster.security.certificates.validityDays",
        "is 2000, beyond caValidityDays 1825: no certificate outlives the CA that signed it; set it to 1825 or fewer",
    ],
    [
        "REPLICATION on the INTERNAL port",
        { security: { tls: true }, listeners: { replicationPort: 29092 } },
        NONE,
        "cluster.listeners.replicationPort",
        "is 29092, the same as listeners.internalPort; give each listener its own port",
    ],
    [
        "REPLICATION among the external ports",
        { security: { tls: true }, listeners: { replicationPort: 9093 } },
        NONE,
        "cluster.listeners.replicationPort",
        "is 9093, inside the external ports 9092-9094 of the brokers; choose a port outside that range",
    ],
    [
        "a listener on the PROBE port",
        { mode: "kraft", security: { tls: true }, listeners: { controllerPort: 29095 } },
        NONE,
        "cluster.listeners.controllerPort",
        "is 29095, the port of the health check listener (PROBE) kafka-env opens on 127.0.0.1 when security is on; choose another port",
    ],
    [
        "external ports over the PROBE port",
        { security: { tls: true }, listeners: { externalPort: 29094 } },
        NONE,
        "cluster.listeners.externalPort",
        "is 29094: the external ports 29094-29096 include 29095, the port of the health check listener (PROBE) when security is on; choose other ports",
    ],
    [
        "a security property in brokerConfig",
        { brokerConfig: { "super.users": "User:me" } },
        NONE,
        "cluster.brokerConfig.super.users",
        "is managed by kafka-env (cluster.security.authorization); remove it from cluster.brokerConfig",
    ],
    [
        "a keystore in brokerConfig",
        { brokerConfig: { "ssl.keystore.location": "/x.p12" } },
        NONE,
        "cluster.brokerConfig.ssl.keystore.location",
        "is managed by kafka-env (cluster.security: kafka-env's CA and certificates); remove it from cluster.brokerConfig",
    ],
];

describe("security settings and users", () => {
    for (const [rule, cluster, secrets, path, message] of CASES) {
        it(rule, () => {
            const problems = problemsOf(cluster, secrets);
            assert.deepEqual(
                problems.filter((p) => p.path === path),
                [{ path, message }],
                JSON.stringify(problems, null, 2),
            );
        });
    }

    it("accepts the issue's example, with passwords for some users", () => {
        const cluster = {
            security: SECURED,
            users: [
                {
                    name: "orders-app",
                    acls: [
                        { resource: "topic", name: "orders", operations: ["Write", "Describe"] },
                        { resource: "topic", name: "payments", operations: ["Read", "Describe"] },
                        { resource: "group", name: "orders-", patternType: "prefixed", operations: ["Read"] },
                    ],
                },
                { name: "audit", acls: [{ resource: "cluster", operations: ["Describe"] }] },
            ],
        };
        assert.deepEqual(problemsOf(cluster, { userPasswords: ["orders-app"], caCertificate: true, caKey: true }), []);
        assert.deepEqual(problemsOf(cluster, { userPasswords: undefined, caCertificate: false, caKey: false }), [], "names unknown: not checked");
    });

    it("reports every security problem at once, beside the others", () => {
        const problems = problemsOf({ brokers: 0, security: { authorization: true }, users: [{ name: "x y", acls: [{ resource: "topic", operations: [] }] }] });
        assert.deepEqual(problems.map((p) => p.path).sort(), [
            "cluster.brokers",
            "cluster.security.authorization",
            "cluster.users",
            'cluster.users["x y"].acls[0].name',
            'cluster.users["x y"].acls[0].operations',
            'cluster.users["x y"].name',
        ]);
    });

    it("resolves the defaults: everything off, literal ACLs allowed from anywhere, merged per pattern", () => {
        const off = resolveConfig({ cluster: undefined, stack: "s", hasKafkaUiPassword: false });
        assert.deepEqual(off.security, {
            authentication: "none",
            tls: false,
            authorization: false,
            certificates: { validityDays: 365, renewalDays: 30, caValidityDays: 1825 },
        });
        assert.deepEqual(off.users, []);
        assert.equal(off.listeners.replicationPort, 29094);
        const users = resolveConfig({
            cluster: {
                security: SECURED,
                users: [
                    {
                        name: "z",
                        acls: [
                            { resource: "topic", name: "t", operations: ["Describe", "Write"] },
                            { resource: "cluster", operations: ["Describe"] },
                            { resource: "topic", name: "t", operations: ["Read", "Write"] },
                        ],
                    },
                    { name: "a" },
                ],
            },
            stack: "s",
            hasKafkaUiPassword: false,
        }).users;
        assert.deepEqual(users, [
            { name: "a", acls: [] },
            {
                name: "z",
                acls: [
                    { resource: "cluster", name: "kafka-cluster", patternType: "literal", operations: ["Describe"], permission: "allow", host: "*" },
                    { resource: "topic", name: "t", patternType: "literal", operations: ["Read", "Write", "Describe"], permission: "allow", host: "*" },
                ],
            },
        ]);
    });

    it("reads which secrets a stack sets, never their values", () => {
        assert.deepEqual(securitySecretsOf({}), NONE);
        assert.deepEqual(securitySecretsOf({ userPasswords: { b: "[secret]", a: "[secret]" }, caCertificate: true }), {
            userPasswords: ["a", "b"],
            caCertificate: true,
            caKey: false,
        });
        assert.deepEqual(securitySecretsOf({ userPasswords: "[secret]" }).userPasswords, undefined);
    });
});
