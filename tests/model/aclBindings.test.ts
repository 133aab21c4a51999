/** A user's ACLs as Kafka's bindings, each named after everything it is. */
import { strict as assert } from "node:assert";
import { aclBindings } from "../../components/model/aclBindings";

describe("ACL bindings", () => {
    it("one binding per operation, named after the user, pattern, name, operation, and permission and host when not the defaults", () => {
        const bindings = aclBindings("audit", [
            { resource: "topic", name: "orders", patternType: "literal", operations: ["Read", "Describe"], permission: "allow", host: "*" },
            { resource: "transactionalId", name: "tx-", patternType: "prefixed", operations: ["Write"], permission: "deny", host: "10.0.0.1" },
            { resource: "cluster", name: "kafka-cluster", patternType: "literal", operations: ["IdempotentWrite"], permission: "allow", host: "*" },
        ]);
        assert.deepEqual(
            bindings.map((b) => b.key),
            [
                "audit-topic-literal-orders-Read",
                "audit-topic-literal-orders-Describe",
                "audit-transactionalId-prefixed-tx--Write-deny-host-10.0.0.1",
                "audit-cluster-literal-kafka-cluster-IdempotentWrite",
            ],
        );
        assert.deepEqual(bindings[2], {
            key: "audit-transactionalId-prefixed-tx--Write-deny-host-10.0.0.1",
            principal: "User:audit",
            resourceType: "TransactionalID",
            resourceName: "tx-",
            patternType: "Prefixed",
            operation: "Write",
            permission: "Deny",
            host: "10.0.0.1",
        });
    });

    it("a name with characters a resource name should not carry is made plain and told apart by a digest", () => {
        const key = (name: string) =>
            aclBindings("u", [{ resource: "topic", name, patternType: "literal", operations: ["Read"], permission: "allow", host: "*" }])[0].key;
        assert.equal(key("*"), "u-topic-literal-_-684888c0-Read");
        assert.notEqual(key("a+b"), key("a:b"));
        assert.match(key("a+b"), /^u-topic-literal-a_b-[0-9a-f]{8}-Read$/);
    });
});
