import { strict as assert } from "node:assert";
import { X509Certificate, createPrivateKey } from "node:crypto";
import * as net from "node:net";
import * as tls from "node:tls";
import { ORGANIZATION, certificatePrincipal } from "../../components/model/security";
import { Issued, certificateNames, createCa, fingerprint, issue, pemKeystore } from "../../components/security/pki";

const NOW = new Date("2027-03-01T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

/** Connects a TLS client to a server holding `server`, as `servername`; resolves to the error code, or "ok". */
async function handshake(server: Issued, trusted: string, servername: string, client?: Issued, requireClient = false): Promise<string> {
    const srv = tls.createServer(
        { key: server.keyPem, cert: server.certPem, ca: [trusted], requestCert: requireClient, rejectUnauthorized: requireClient },
        (s) => s.end("hi"),
    );
    srv.on("tlsClientError", () => undefined);
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
        return await new Promise<string>((resolve) => {
            // An IP address is checked against the IP SANs: it is the host, never the SNI name.
            const sni = net.isIP(servername) ? undefined : servername;
            const socket = tls.connect({ host: "127.0.0.1", port, servername: sni, ca: [trusted], key: client?.keyPem, cert: client?.certPem });
            socket.on("data", () => {
                socket.destroy();
                resolve("ok");
            });
            socket.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
            // A server that refuses the client's certificate may just close (TLS 1.3).
            socket.on("close", () => resolve("closed"));
        });
    } finally {
        srv.close();
    }
}

describe("kafka-env's CA and certificates (pki.ts)", function () {
    this.timeout(20_000);
    const ca = createCa("kafka-env-dev-ca", 1825, NOW);
    const node = issue(ca, { commonName: "kafka-env-dev-node", names: ["kafka-1", "localhost", "10.250.0.1", "kafka-1"] }, 365, NOW);

    it("makes a self-signed CA, valid for the days asked from a little before now", () => {
        const cert = new X509Certificate(ca.certPem);
        assert.equal(cert.ca, true);
        assert.equal(cert.subject, "O=kafka-env\nCN=kafka-env-dev-ca");
        assert.ok(cert.verify(cert.publicKey));
        assert.equal(new Date(cert.validTo).getTime(), NOW.getTime() + 1825 * DAY);
        assert.ok(new Date(cert.validFrom).getTime() < NOW.getTime());
        assert.equal(ca.notAfter, new Date(NOW.getTime() + 1825 * DAY).toISOString());
    });

    it("issues a certificate the CA signed, naming the holder as Kafka's principal and every name as a SAN", () => {
        const cert = new X509Certificate(node.certPem);
        assert.equal(cert.ca, false);
        assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
        assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
        assert.ok(cert.checkPrivateKey(createPrivateKey(node.keyPem)));
        // Java prints the subject in reverse (RFC 2253): CN=kafka-env-dev-node,O=kafka-env, the model's principal.
        assert.equal(cert.subject, `O=${ORGANIZATION}\nCN=kafka-env-dev-node`);
        assert.equal(certificatePrincipal("kafka-env-dev-node"), `User:${cert.subject.split("\n").reverse().join(",")}`);
        assert.deepEqual(certificateNames(node.certPem), ["10.250.0.1", "kafka-1", "localhost"]);
        assert.deepEqual(cert.keyUsage, ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], "server and client authentication");
        assert.equal(node.notAfter, new Date(NOW.getTime() + 365 * DAY).toISOString());
    });

    it("never issues past the CA's own expiry, and keeps a key it is given", () => {
        const renewed = issue(ca, { commonName: "kafka-env-dev-node" }, 5000, NOW, node.keyPem);
        assert.equal(renewed.notAfter, ca.notAfter);
        assert.equal(renewed.keyPem, node.keyPem);
        assert.notEqual(fingerprint(renewed.certPem), fingerprint(node.certPem));
        assert.deepEqual(certificateNames(renewed.certPem), []);
    });

    it("writes a PEM keystore: the unencrypted key, then the chain up to the CA", () => {
        const pem = pemKeystore(node, ca.certPem);
        const blocks = [...pem.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]);
        assert.deepEqual(blocks, ["PRIVATE KEY", "CERTIFICATE", "CERTIFICATE"]);
        assert.ok(pem.endsWith("-----END CERTIFICATE-----\n"));
        assert.ok(!pem.includes("ENCRYPTED"));
        assert.ok(![ca.certPem, node.certPem, node.keyPem].some((p) => p.includes("\r")), "PEM with \n line ends, as the files are compared");
    });

    // Real handshakes check validity against the clock: these certificates start now.
    const today = new Date();
    const liveCa = createCa("kafka-env-dev-ca", 30, today);
    const live = issue(liveCa, { commonName: "kafka-env-dev-node", names: ["kafka-1", "localhost", "127.0.0.1"] }, 30, today);

    it("holds up in a real TLS handshake: the host name and the IP address verify, other names and other CAs do not", async () => {
        const [node, ca] = [live, liveCa];
        assert.equal(await handshake(node, ca.certPem, "kafka-1"), "ok");
        assert.equal(await handshake(node, ca.certPem, "localhost"), "ok");
        assert.equal(await handshake(node, ca.certPem, "127.0.0.1"), "ok");
        assert.equal(await handshake(issue(ca, { commonName: "n", names: ["kafka-1"] }, 30, today), ca.certPem, "127.0.0.1"), "ERR_TLS_CERT_ALTNAME_INVALID");
        assert.equal(await handshake(node, ca.certPem, "kafka-2"), "ERR_TLS_CERT_ALTNAME_INVALID");
        const other = createCa("another-ca", 30, today);
        assert.equal(await handshake(node, other.certPem, "kafka-1"), "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    });

    it("authenticates a client by its certificate (the REPLICATION and CONTROLLER listeners' mutual TLS)", async () => {
        const [node, ca] = [live, liveCa];
        const tools = issue(ca, { commonName: "kafka-env-dev-tools" }, 30, today);
        assert.equal(await handshake(node, ca.certPem, "kafka-1", tools, true), "ok");
        const stranger = issue(createCa("another-ca", 30, today), { commonName: "kafka-env-dev-tools" }, 30, today);
        assert.notEqual(await handshake(node, ca.certPem, "kafka-1", stranger, true), "ok");
    });
});
