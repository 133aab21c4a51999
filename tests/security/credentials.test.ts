/** `Credentials`: generated once and kept, given ones win, versions follow the passwords, and every password stays a secret. */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Credentials, CredentialsState, passwordProblems, passwordVersion, settleCredentials } from "../../components/security/credentials";
import { isWrappedSecret, registered } from "./registered";

const state = (users: string[], given: Record<string, string> = {}): CredentialsState => ({ users, given });

describe("Credentials: SCRAM passwords as Pulumi secrets", function () {
    this.timeout(30_000);

    it("generates a password per user, except those given, with a version each", () => {
        const outs = settleCredentials(undefined, state(["kafka-env-admin", "orders-app", "audit"], { audit: "Audit-pw_1" }));
        assert.deepEqual(Object.keys(outs.passwords!), ["audit", "kafka-env-admin", "orders-app"]);
        assert.equal(outs.passwords!.audit, "Audit-pw_1");
        assert.match(outs.passwords!["orders-app"], /^[A-Za-z0-9_-]{32}$/);
        assert.notEqual(outs.passwords!["orders-app"], outs.passwords!["kafka-env-admin"]);
        for (const [user, password] of Object.entries(outs.passwords!)) assert.equal(outs.versions![user], passwordVersion(outs.versionKey!, password));
        assert.match(outs.versions!.audit, /^[0-9a-f]{16}$/);
    });

    it("keeps every password across updates; adds and drops users; a given password replaces a generated one and back", () => {
        const first = settleCredentials(undefined, state(["kafka-env-admin", "orders-app"]));
        assert.deepEqual(settleCredentials(first, state(["kafka-env-admin", "orders-app"])), first, "stable: the same outputs");
        const more = settleCredentials(first, state(["kafka-env-admin", "orders-app", "audit"]));
        assert.equal(more.passwords!["orders-app"], first.passwords!["orders-app"]);
        assert.equal(more.versions!["orders-app"], first.versions!["orders-app"]);
        assert.ok(more.passwords!.audit);
        const fewer = settleCredentials(more, state(["kafka-env-admin"]));
        assert.deepEqual(Object.keys(fewer.passwords!), ["kafka-env-admin"]);
        const given = settleCredentials(fewer, state(["kafka-env-admin", "orders-app"], { "orders-app": "Chosen-1" }));
        assert.equal(given.passwords!["orders-app"], "Chosen-1");
        const changed = settleCredentials(given, state(["kafka-env-admin", "orders-app"], { "orders-app": "Chosen-2" }));
        assert.notEqual(changed.versions!["orders-app"], given.versions!["orders-app"]);
        const generatedAgain = settleCredentials(changed, state(["kafka-env-admin", "orders-app"]));
        assert.notEqual(generatedAgain.passwords!["orders-app"], "Chosen-2", "a password no longer given is not kept as if generated");
        assert.equal(generatedAgain.passwords!["kafka-env-admin"], first.passwords!["kafka-env-admin"]);
    });

    it("refuses given passwords Kafka's settings cannot carry, naming the user and never the value", () => {
        assert.deepEqual(passwordProblems({ a: "fine_Pass-1", b: 'has"quote', c: "", d: "x=y", e: "two words" }), [
            `kafka-env:userPasswords.b contains whitespace or one of " \\ , [ ] = ' (which Kafka's JAAS and SCRAM settings cannot carry); choose another password`,
            "kafka-env:userPasswords.c is empty; set a password, or remove it to have one generated",
            `kafka-env:userPasswords.d contains whitespace or one of " \\ , [ ] = ' (which Kafka's JAAS and SCRAM settings cannot carry); choose another password`,
            `kafka-env:userPasswords.e contains whitespace or one of " \\ , [ ] = ' (which Kafka's JAAS and SCRAM settings cannot carry); choose another password`,
        ]);
    });

    it("as registered: given passwords a secret input, passwords and the key secret outputs; the provider runs serialized", async () => {
        const r = await registered("creds", () => new Credentials("creds", { users: ["orders-app", "kafka-env-admin"], given: { "orders-app": "Chosen-1" } }));
        assert.ok(isWrappedSecret(r.inputs.given), "given passwords are wrapped as a secret even when passed plain");
        assert.deepEqual(r.inputs.users, ["kafka-env-admin", "orders-app"]);
        assert.deepEqual(r.additionalSecretOutputs.sort(), ["given", "passwords", "versionKey"]);
        const inputs = { users: r.inputs.users, given: { "orders-app": "Chosen-1" } };
        const created = await r.provider.create(inputs);
        assert.equal((created.outs.passwords as Record<string, string>)["orders-app"], "Chosen-1");
        assert.equal((await r.provider.diff("credentials", created.outs, inputs)).changes, false);
        assert.equal((await r.provider.diff("credentials", created.outs, { ...inputs, users: ["kafka-env-admin"] })).changes, true);
        const check = await r.provider.check!({}, { ...inputs, given: { "orders-app": "bad pw" } });
        assert.deepEqual(
            check.failures?.map((f) => f.property),
            ["given"],
        );
        assert.doesNotMatch(JSON.stringify(check.failures), /bad pw/);
    });

    it("a secret given as an Output stays one", async () => {
        const r = await registered("creds2", () => new Credentials("creds2", { users: ["a"], given: pulumi.secret({ a: "Chosen-1" }) }));
        assert.ok(isWrappedSecret(r.inputs.given));
    });
});
