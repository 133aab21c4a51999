/** `cluster.security`, `cluster.users` and the security secrets: defaults, and every rule's message word for word. */
import { strict as assert } from "node:assert";
import { ConfigError, Problem, SecuritySecrets, resolveConfig } from "../../components/model";
import { securitySecretsOf } from "../../components/model/validateSecurity";
import { CASES, NONE, SECURED } from "./securityRules";

function problemsOf(cluster: unknown, securitySecrets?: SecuritySecrets): Problem[] {
    try {
        resolveConfig({ cluster, stack: "test", hasKafkaUiPassword: false, securitySecrets });
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
}

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
