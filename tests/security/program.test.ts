/** The program with security on, under mocks: the model gets user names, never a password. */
import { strict as assert } from "node:assert";
import { runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";

const SECURED = (c: any) => {
    c.security = { authentication: "scram-sha-512", tls: true, authorization: true };
    c.users = [{ name: "orders-app", acls: [{ resource: "topic", name: "orders", operations: ["Write"] }] }];
};

describe("the program with cluster.security and kafka-env:userPasswords", function () {
    this.timeout(60_000);

    it("plans with the users' names, and no password reaches any resource input", async () => {
        const config = { ...withCluster(stackConfig("dev"), SECURED), "kafka-env:userPasswords": JSON.stringify({ "orders-app": "pw-of-orders-app" }) };
        const { resources } = await runProgram(config, "dev");
        assert.ok(resources.length > 0);
        assert.ok(!JSON.stringify(resources.map((r) => r.inputs)).includes("pw-of-orders-app"));
    });

    it("refuses a password for a user the cluster does not have, naming the user only", async () => {
        const config = { ...withCluster(stackConfig("dev"), SECURED), "kafka-env:userPasswords": JSON.stringify({ ghost: "pw-of-ghost" }) };
        await assert.rejects(runProgram(config, "dev"), (e: Error) => {
            assert.match(e.message, /userPasswords\.ghost: is set but cluster\.users has no user "ghost"/);
            assert.doesNotMatch(e.message, /pw-of-ghost/);
            return true;
        });
    });
});
