/** The provider's login for each combination of the security settings: every setting given, none left to its default. */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { providerSecurity } from "../../components/kafka/connection";
import { promiseOf } from "../../tools/graph/mocks";

describe("the @pulumi/kafka provider's login", () => {
    it("plaintext, as before security existed: TLS off (the provider's default is on)", () => {
        assert.deepEqual(providerSecurity(undefined), { tlsEnabled: false });
    });

    it("TLS alone: the CA trusted, host names verified, no SASL", () => {
        assert.deepEqual(providerSecurity({ tls: true, caCertificate: "CA" }), { tlsEnabled: true, caCert: "CA", skipTlsVerify: false });
    });

    it("SCRAM, with or without TLS: the mechanism in the provider's spelling and the password as a secret", async () => {
        for (const [tls, mechanism, spelled] of [
            [true, "SCRAM-SHA-512", "scram-sha512"],
            [false, "SCRAM-SHA-256", "scram-sha256"],
        ] as const) {
            const args = providerSecurity({ tls, caCertificate: tls ? "CA" : undefined, sasl: { mechanism, username: "kafka-env-admin", password: "pw" } });
            assert.equal(args.tlsEnabled, tls);
            assert.equal(args.saslMechanism, spelled);
            assert.equal(args.saslUsername, "kafka-env-admin");
            const password = args.saslPassword as pulumi.Output<string>;
            assert.equal(await promiseOf(password), "pw");
            assert.equal(await pulumi.isSecret(password), true);
        }
    });
});
