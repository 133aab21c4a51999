/** `ClusterCertificates`: stable across updates, renewed within the window, names as asked, keys only ever secret. */
import { strict as assert } from "node:assert";
import { X509Certificate, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { dockerAddressing } from "../../components/docker/addressing";
import { buildModel, resolveConfig } from "../../components/model";
import { CertificatesState, caProblems, certificatesDue, renewalDue, settleCertificates } from "../../components/security/certificateSet";
import { ClusterCertificates, certificateInputs } from "../../components/security/certificates";
import { certificateNames, createCa } from "../../components/security/pki";
import { isWrappedSecret, registered } from "./registered";

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date("2027-01-01T00:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const INPUTS: CertificatesState = {
    subjects: { ca: "env-ca", node: "env-node", tools: "env-tools" },
    nodes: { "kafka-1": ["kafka-1", "localhost"], "kafka-2": ["kafka-2", "localhost"] },
    validityDays: 365,
    renewalDays: 30,
    caValidityDays: 1825,
};
const with_ = (change: Partial<CertificatesState>): CertificatesState => ({ ...INPUTS, ...change });

describe("ClusterCertificates: the cluster's CA and certificates", function () {
    this.timeout(60_000);
    const first = settleCertificates(undefined, INPUTS, T0);

    it("issues every node's and the tools' certificate from a new CA, covering the names asked", () => {
        const ca = new X509Certificate(first.caCertificate!);
        assert.equal(ca.subject, "O=kafka-env\nCN=env-ca");
        assert.deepEqual(Object.keys(first.certificates!), ["kafka-1", "kafka-2", "tools"]);
        for (const [holder, cert] of Object.entries(first.certificates!)) {
            assert.ok(new X509Certificate(cert.certPem).checkIssued(ca), holder);
            assert.deepEqual(certificateNames(cert.certPem), cert.names);
            assert.ok(first.keystores![holder].startsWith("-----BEGIN PRIVATE KEY-----"));
            assert.ok(first.keystores![holder].endsWith(`${first.caCertificate!.trimEnd()}\n`), "the chain ends with the CA");
        }
        assert.deepEqual(first.certificates!["kafka-2"].names, ["kafka-2", "localhost"]);
        assert.equal(first.certificates!.tools.commonName, "env-tools");
        assert.equal(first.notAfter, at(365).toISOString());
        assert.equal(first.caNotAfter, at(1825).toISOString());
        assert.equal(first.generation, 1);
        assert.ok(first.caKey);
    });

    it("keeps every certificate and key across updates until the renewal window", () => {
        assert.deepEqual(settleCertificates(first, INPUTS, at(300)), first);
        assert.deepEqual(
            settleCertificates(first, with_({ validityDays: 90, renewalDays: 10 }), at(10)).keystores,
            first.keystores,
            "lifetimes apply to the next issue",
        );
        assert.equal(certificatesDue(first, at(334)), false);
        assert.equal(certificatesDue(first, at(335)), true);
    });

    it("renews every certificate within renewalDays of its expiry, and counts a generation", () => {
        const renewed = settleCertificates(first, INPUTS, at(340));
        assert.equal(renewed.caCertificate, first.caCertificate, "the CA stays");
        for (const holder of ["kafka-1", "kafka-2", "tools"]) assert.notEqual(renewed.certificates![holder].certPem, first.certificates![holder].certPem);
        assert.notEqual(renewed.keystores!["kafka-1"], first.keystores!["kafka-1"]);
        assert.equal(renewed.notAfter, at(340 + 365).toISOString());
        assert.equal(renewed.generation, 2);
        assert.equal(certificatesDue(renewed, at(400)), false);
    });

    it("does not renew for ever when the CA itself is what ends a certificate", () => {
        const short = settleCertificates(undefined, with_({ caValidityDays: 400, validityDays: 400, renewalDays: 30 }), T0);
        assert.equal(short.notAfter, short.caNotAfter);
        assert.equal(renewalDue(short.certificates!["kafka-1"], 30, short.caNotAfter!, at(390)), false);
        assert.equal(certificatesDue(short, at(390)), false);
    });

    it("reissues only a node whose names change; a node added gets one, a node removed loses its own", () => {
        const names = settleCertificates(first, with_({ nodes: { ...INPUTS.nodes, "kafka-2": ["kafka-2", "localhost", "10.250.0.1"] } }), at(5));
        assert.equal(names.keystores!["kafka-1"], first.keystores!["kafka-1"]);
        assert.notEqual(names.keystores!["kafka-2"], first.keystores!["kafka-2"]);
        assert.deepEqual(certificateNames(names.certificates!["kafka-2"].certPem), ["10.250.0.1", "kafka-2", "localhost"]);
        assert.equal(names.generation, 2);
        const added = settleCertificates(first, with_({ nodes: { ...INPUTS.nodes, "kafka-3": ["kafka-3", "localhost"] } }), at(5));
        assert.equal(added.keystores!["kafka-1"], first.keystores!["kafka-1"]);
        assert.ok(added.keystores!["kafka-3"]);
        assert.equal(added.generation, 1, "a node more replaces nothing in use");
        const removed = settleCertificates(added, INPUTS, at(6));
        assert.deepEqual(Object.keys(removed.keystores!), ["kafka-1", "kafka-2", "tools"]);
    });

    it("signs with a given CA (its key never an output), and reissues everything when the CA changes", () => {
        const given = createCa("corp-ca", 3650, T0);
        const withGiven = settleCertificates(first, with_({ givenCa: { certPem: given.certPem, keyPem: given.keyPem } }), at(1));
        assert.equal(withGiven.caCertificate, given.certPem);
        assert.equal(withGiven.caKey, undefined);
        assert.ok(new X509Certificate(withGiven.certificates!["kafka-1"].certPem).checkIssued(new X509Certificate(given.certPem)));
        assert.equal(withGiven.generation, 2);
        assert.deepEqual(settleCertificates(withGiven, with_({ givenCa: { certPem: given.certPem, keyPem: given.keyPem } }), at(2)), withGiven);
        const generatedAgain = settleCertificates(withGiven, INPUTS, at(3));
        assert.notEqual(generatedAgain.caCertificate, given.certPem);
        assert.ok(generatedAgain.caKey);
    });

    it("refuses a given CA it cannot sign with, never quoting it", () => {
        const good = createCa("corp-ca", 3650, new Date());
        const other = createCa("other", 3650, new Date());
        const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
        const leafCa = { certPem: settleCertificates(undefined, INPUTS, new Date()).certificates!["kafka-1"].certPem, keyPem: good.keyPem };
        const now = new Date();
        assert.deepEqual(caProblems({ certPem: good.certPem, keyPem: good.keyPem }, now), []);
        assert.deepEqual(caProblems({ certPem: "nonsense", keyPem: good.keyPem }, now), [
            "kafka-env:caCertificate is not a PEM certificate; set the CA's certificate (-----BEGIN CERTIFICATE-----)",
        ]);
        assert.deepEqual(caProblems({ certPem: good.certPem, keyPem: other.keyPem }, now), [
            "kafka-env:caKey is not the private key of kafka-env:caCertificate; give the pair that belongs together",
        ]);
        assert.deepEqual(caProblems({ certPem: good.certPem, keyPem: ec }, now), ["kafka-env:caKey is an ec key; kafka-env signs with RSA CA keys only"]);
        assert.deepEqual(
            caProblems(leafCa, now)[0],
            "kafka-env:caCertificate is not a CA certificate (its basic constraints say CA:FALSE); give the certificate of a CA",
        );
        assert.deepEqual(caProblems({ certPem: good.certPem, keyPem: "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n" }, now), [
            "kafka-env:caKey is not an unencrypted PEM private key; set the CA's key without a passphrase",
        ]);
        assert.deepEqual(caProblems({ certPem: good.certPem, keyPem: good.keyPem }, new Date(Date.now() + 4000 * DAY)), [
            `kafka-env:caCertificate expired on ${new Date(new X509Certificate(good.certPem).validTo).toISOString()}; give a CA that is still valid`,
        ]);
        assert.ok(createPrivateKey(good.keyPem));
    });

    it("takes what to cover from the model: every secured node's names", () => {
        const config = resolveConfig({ cluster: { name: "env", brokers: 2, security: { tls: true } }, stack: "s", hasKafkaUiPassword: false });
        assert.deepEqual(certificateInputs(buildModel(config, dockerAddressing(config))), {
            subjects: { ca: "env-ca", node: "env-node", tools: "env-tools" },
            nodes: { "kafka-1": ["kafka-1", "localhost"], "kafka-2": ["kafka-2", "localhost"] },
            validityDays: 365,
            renewalDays: 30,
            caValidityDays: 1825,
        });
        const off = resolveConfig({ cluster: { name: "env", brokers: 2 }, stack: "s", hasKafkaUiPassword: false });
        assert.equal(certificateInputs(buildModel(off, dockerAddressing(off))), undefined);
    });

    it("as registered: a given CA a secret input, keys secret outputs; serialized, it issues, keeps, and renews when due", async () => {
        const given = createCa("corp-ca", 3650, new Date());
        const r = await registered("certs", () => new ClusterCertificates("certs", { ...INPUTS, givenCa: { certPem: given.certPem, keyPem: given.keyPem } }));
        assert.ok(isWrappedSecret(r.inputs.givenCa), "the given CA is wrapped as a secret even when passed plain");
        assert.deepEqual(r.additionalSecretOutputs.sort(), ["caKey", "givenCa", "keystores"]);
        const { givenCa, ...plain } = r.inputs;
        void givenCa;
        assert.doesNotMatch(JSON.stringify(plain), /PRIVATE KEY/);
        const created = await r.provider.create(INPUTS);
        const outs = created.outs as unknown as CertificatesState;
        assert.equal((await r.provider.diff("certificates", created.outs, INPUTS)).changes, false, "stable: nothing to do");
        const failures = (await r.provider.check!({}, { ...INPUTS, givenCa: { certPem: given.certPem, keyPem: createCa("x", 1, new Date()).keyPem } }))
            .failures;
        assert.deepEqual(
            failures?.map((f) => f.property),
            ["givenCa"],
        );
        // Deployed 340 days ago: within 30 days of expiry, so the provider reports an update with the same inputs.
        const old = settleCertificates(undefined, INPUTS, new Date(Date.now() - 340 * DAY));
        assert.equal((await r.provider.diff("certificates", old, INPUTS)).changes, true);
        const renewed = (await r.provider.update("certificates", old, INPUTS)).outs as unknown as CertificatesState;
        assert.ok(Date.parse(renewed.notAfter!) > Date.now() + 360 * DAY);
        assert.equal(renewed.caCertificate, old.caCertificate);
        assert.ok(outs.keystores?.tools);
    });
});
