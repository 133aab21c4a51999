/** The program with security on, under mocks: the model gets user names, never a password. */
import { strict as assert } from "node:assert";
import { deployEnvironment } from "../../components/stackConfig";
import { runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { plainOccurrences, rawInputs } from "./registered";

const SECURED = (c: any) => {
    c.security = { authentication: "scram-sha-512", tls: true, authorization: true };
    c.users = [{ name: "orders-app", acls: [{ resource: "topic", name: "orders", operations: ["Write"] }] }];
};

describe("the program with cluster.security and kafka-env:userPasswords", function () {
    this.timeout(60_000);

    it("plans with the users' names, and no password reaches any resource input but as a secret", async () => {
        const config = { ...withCluster(stackConfig("dev"), SECURED), "kafka-env:userPasswords": JSON.stringify({ "orders-app": "pw-of-orders-app" }) };
        const raw = await rawInputs(deployEnvironment, config);
        assert.ok(raw.size > 0);
        const carrying = [...raw].filter(([, inputs]) => JSON.stringify(inputs).includes("pw-of-orders-app")).map(([key]) => key);
        // The password goes in (secret) and out (secret) of Credentials, to the user's credential, and nowhere else.
        assert.deepEqual(carrying.sort(), [
            "kafka:index/userScramCredential:UserScramCredential::kafka-dev-access-user-orders-app",
            "pulumi-nodejs:dynamic/kafka-env:Credentials::kafka-dev-credentials",
        ]);
        for (const [key, inputs] of raw) assert.deepEqual(plainOccurrences(inputs, "pw-of-orders-app"), [], `${key} carries the password in plain text`);
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
