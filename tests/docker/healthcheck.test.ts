import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as net from "node:net";
import { healthcheckTest } from "../../components/docker/node";
import { brokerHealthcheck, telling, zookeeperHealthcheck } from "../../components/model/images";
import { apiVersionsResponse, fakeBroker } from "../kafka/fakeBroker";

/**
 * Runs `check` as the engine runs a container's healthcheck (`CMD-SHELL`: `sh -c`), without
 * blocking the event loop (the stand-in broker answers meanwhile).
 */
function runCheck(check: string): Promise<number | null> {
    return new Promise((resolve) => spawn("sh", ["-c", healthcheckTest(check)[1]], { stdio: "ignore" }).on("close", resolve));
}

describe("Docker healthcheck form", () => {
    it("runs the check unchanged through sh, quotes and all", () => {
        const [form, command] = healthcheckTest(`x=$(echo "it's"); echo "$x $((1 + 1))"`);
        assert.equal(form, "CMD-SHELL");
        const r = spawnSync("sh", ["-c", command], { encoding: "utf8" });
        assert.equal(r.stdout, "it's 2\n");
    });

    it("keeps the real checks valid bash", () => {
        for (const check of [brokerHealthcheck(29092), zookeeperHealthcheck(2181)]) {
            const r = spawnSync("bash", ["-n", "-c", check], { encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
        }
    });
});

describe("broker healthcheck (ApiVersions from bash)", () => {
    it("sends a well-formed ApiVersions v0 request and passes on an answer without error", async () => {
        const broker = await fakeBroker(() => apiVersionsResponse(1, 0));
        try {
            assert.equal(await runCheck(brokerHealthcheck(broker.port)), 0);
            const [req] = broker.requests;
            assert.equal(req.readInt32BE(0), req.length - 4, "size prefix");
            assert.deepEqual([req.readInt16BE(4), req.readInt16BE(6), req.readInt32BE(8)], [18, 0, 1], "api key ApiVersions, version 0, correlation id 1");
            assert.equal(req.subarray(12 + 2).toString(), "hc".slice(0, req.readInt16BE(12)), "client id");
        } finally {
            broker.close();
        }
    });

    it("fails on an error code, a wrong correlation id, a closed connection or no listener", async () => {
        for (const [what, answer] of [
            ["error code 35 (unsupported version)", () => apiVersionsResponse(1, 35)],
            ["another correlation id", () => apiVersionsResponse(7, 0)],
            ["closed without an answer", () => Buffer.alloc(0)],
        ] as const) {
            const broker = await fakeBroker(answer);
            try {
                assert.notEqual(await runCheck(brokerHealthcheck(broker.port, 1)), 0, what);
            } finally {
                broker.close();
            }
        }
        const gone = await fakeBroker(() => undefined);
        gone.close();
        assert.notEqual(await runCheck(brokerHealthcheck(gone.port, 1)), 0, "nothing listening");
    });

    it("keeps asking while the broker starts, and passes as soon as it answers", async () => {
        const first = await fakeBroker(() => undefined);
        const port = first.port;
        first.close();
        const started = Date.now();
        const check = runCheck(brokerHealthcheck(port, 8));
        await new Promise((r) => setTimeout(r, 1500));
        // now it listens on that port, and answers
        const server = net.createServer((socket) => socket.on("error", () => undefined).on("data", () => socket.end(apiVersionsResponse(1, 0))));
        await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
        try {
            assert.equal(await check, 0);
            const seconds = (Date.now() - started) / 1000;
            assert.ok(seconds >= 1.5 && seconds < 4, `passed ${seconds} s after the start, within a second of the broker answering`);
        } finally {
            server.close();
        }
    });
});

describe("the log lines an unhealthy container's error shows (telling)", () => {
    it("leaves out ZooKeeper's lines about the srvr checks, and keeps the last of the rest", () => {
        const srvr = (n: number) =>
            `[2026-12-07 05:40:${n},534] INFO Processing srvr command from /127.0.0.1:46262 (org.apache.zookeeper.server.NIOServerCnxn)`;
        const why = "[2026-12-07 05:35:01,000] WARN Cannot open channel to 2 at election address zookeeper-2/<unresolved>:3888";
        const log = ["first", why, ...Array.from({ length: 300 }, (_, i) => srvr(i)), ""].join("\n");
        assert.equal(telling(log, 25), `first\n${why}`);
        assert.equal(telling(log, 1), why);
    });
});
