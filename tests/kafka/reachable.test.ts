import { strict as assert } from "node:assert";
import * as net from "node:net";
import * as tls from "node:tls";
import { askApiVersions, waitReachable } from "../../components/kafka/reachable";
import { createCa, issue } from "../../components/security/pki";
import { apiVersionsResponse, fakeBroker } from "./fakeBroker";

/** A port nothing listens on (taken, then freed). */
async function closedPort(): Promise<number> {
    const gone = await fakeBroker(() => undefined);
    gone.close();
    return gone.port;
}

describe("bootstrap reachability (ApiVersions over real sockets)", () => {
    it("sends the healthcheck's ApiVersions request and accepts only an answer without error", async () => {
        const ok = await fakeBroker(() => apiVersionsResponse(1, 0));
        const failing = await fakeBroker(() => apiVersionsResponse(1, 35));
        const silent = await fakeBroker(() => Buffer.alloc(0));
        try {
            assert.equal(await askApiVersions(`127.0.0.1:${ok.port}`), undefined);
            const [req] = ok.requests;
            assert.deepEqual([req.readInt32BE(0), req.readInt16BE(4), req.readInt16BE(6), req.readInt32BE(8)], [req.length - 4, 18, 0, 1]);
            assert.match((await askApiVersions(`127.0.0.1:${failing.port}`))!, /unexpected answer 000000010023/);
            assert.equal(await askApiVersions(`127.0.0.1:${silent.port}`), "closed without an answer");
            assert.equal(await askApiVersions(`127.0.0.1:${await closedPort()}`), "ECONNREFUSED");
            assert.equal(await askApiVersions(`[::ffff:127.0.0.1]:${ok.port}`), undefined, "a bracketed IPv6 address");
        } finally {
            [ok, failing, silent].forEach((b) => b.close());
        }
    });

    it("over TLS on a secured cluster: trusts the given CA, verifies the host name, and answers only then", async () => {
        const now = new Date();
        const ca = createCa("e2e-ca", 1, now);
        const cert = issue(ca, { commonName: "broker", names: ["localhost"] }, 1, now);
        const server = tls.createServer({ key: cert.keyPem, cert: cert.certPem }, (s) =>
            s.on("error", () => undefined).on("data", () => s.end(apiVersionsResponse(1, 0))),
        );
        server.on("tlsClientError", () => undefined);
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const port = (server.address() as net.AddressInfo).port;
        try {
            assert.equal(await askApiVersions(`localhost:${port}`, 3000, ca.certPem), undefined, "a name the certificate covers");
            assert.match((await askApiVersions(`127.0.0.1:${port}`, 3000, ca.certPem))!, /ERR_TLS_CERT_ALTNAME_INVALID/, "an address it does not cover");
            const other = createCa("other-ca", 1, now).certPem;
            assert.match((await askApiVersions(`localhost:${port}`, 3000, other))!, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/i);
            assert.notEqual(await askApiVersions(`127.0.0.1:${port}`), undefined, "plaintext gets no answer from a TLS listener");
        } finally {
            server.close();
        }
    });

    it("waits while a port refuses, and returns once every address has answered", async () => {
        const up = await fakeBroker(() => apiVersionsResponse(1, 0));
        const port = await closedPort();
        const started = Date.now();
        const wait = waitReachable({ addresses: [`127.0.0.1:${up.port}`, `127.0.0.1:${port}`], timeoutSeconds: 20 }, 100);
        await new Promise((r) => setTimeout(r, 1200));
        // the second broker's port starts forwarding (as kube-proxy's rule lands)
        const late = net.createServer((s) => s.on("error", () => undefined).on("data", () => s.end(apiVersionsResponse(1, 0))));
        await new Promise<void>((r) => late.listen(port, "127.0.0.1", r));
        try {
            await wait;
            const seconds = (Date.now() - started) / 1000;
            assert.ok(seconds >= 1.2 && seconds < 3, `returned ${seconds} s after the start, soon after the late port answered`);
        } finally {
            up.close();
            late.close();
        }
    });

    it("fails at the timeout, naming each address that never answered and why", async () => {
        const up = await fakeBroker(() => apiVersionsResponse(1, 0));
        const port = await closedPort();
        try {
            await assert.rejects(waitReachable({ addresses: [`127.0.0.1:${up.port}`, `127.0.0.1:${port}`], timeoutSeconds: 1 }, 100), (e: Error) => {
                assert.match(e.message, new RegExp(`after 1 s .*: 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\.`));
                assert.ok(!e.message.includes(`:${up.port}`), "an address that answered is not blamed");
                assert.match(e.message, /kafka-env:kubernetes\.external\.advertisedHost/);
                return true;
            });
        } finally {
            up.close();
        }
    });
});
