/**
 * The `WorkloadReady` waiter without a cluster: its readiness rules on API objects, and the whole
 * wait against a fake API server (plain HTTP) that serves a workload, its pods, logs and events.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { connect } from "../../components/kubernetes/kubeapi";
import { Pod, hopeless, progress } from "../../components/kubernetes/readiness";
import { waitReady } from "../../components/kubernetes/waiter";
import { fakeApi } from "./fakeApi";
import { LOG_LINES_READ } from "../../components/model/images";

const sts = (status: Record<string, unknown>) => ({
    metadata: { name: "kafka-e2e-kafka", generation: 2 },
    spec: { replicas: 3, selector: { matchLabels: { app: "kafka" } } },
    status: { observedGeneration: 2, replicas: 3, ...status },
});
const DONE = { readyReplicas: 3, updatedReplicas: 3, currentRevision: "r2", updateRevision: "r2" };

function pod(name: string, container: Record<string, unknown>, ready = false): Pod {
    return {
        metadata: { name },
        status: {
            phase: "Running",
            conditions: [{ type: "Ready", status: ready ? "True" : "False", reason: ready ? undefined : "ContainersNotReady" }],
            containerStatuses: [{ name: "kafka", ready, ...container }],
        },
    };
}
const crashLooping = (restarts: number) =>
    pod("kafka-e2e-kafka-2", {
        restartCount: restarts,
        state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" } },
        lastState: { terminated: { reason: "Error", exitCode: 1 } },
    });

describe("workload readiness rules", () => {
    it("a StatefulSet is done when every replica runs the latest revision and is ready", () => {
        assert.equal(progress("StatefulSet", sts(DONE)).done, true);
        const rolling = progress("StatefulSet", sts({ ...DONE, updatedReplicas: 2, updateRevision: "r3" }));
        assert.equal(rolling.done, false);
        assert.equal(rolling.summary, "3 of 3 ready, 2 updated (rolling to r3)");
        // The controller has not seen the new spec yet: not done, whatever the counts say.
        assert.equal(progress("StatefulSet", { ...sts(DONE), metadata: { generation: 3 } }).done, false);
    });

    it("a Job is done when complete, failed when Kubernetes says so", () => {
        assert.equal(progress("Job", { status: { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] } }).done, true);
        const failed = progress("Job", {
            status: { failed: 1, conditions: [{ type: "Failed", status: "True", reason: "PodFailurePolicy", message: "exit code 3" }] },
        });
        assert.equal(failed.failed, "PodFailurePolicy: exit code 3");
    });

    it("a Deployment past its progress deadline has failed", () => {
        const d = {
            metadata: { generation: 1 },
            spec: { replicas: 1 },
            status: { observedGeneration: 1, conditions: [{ type: "Progressing", reason: "ProgressDeadlineExceeded", message: "took too long" }] },
        };
        assert.equal(progress("Deployment", d).failed, "took too long");
        assert.equal(progress("Deployment", { ...d, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } }).done, true);
    });

    it("gives up on pods that cannot recover by waiting, and only on those", () => {
        assert.equal(hopeless(crashLooping(1)), undefined, "one crash may be a peer not up yet");
        assert.equal(hopeless(crashLooping(3)), "kafka: CrashLoopBackOff after 3 restarts");
        assert.equal(hopeless(pod("p", { state: { waiting: { reason: "ErrImageNeverPull" } } })), "kafka: ErrImageNeverPull");
        assert.equal(hopeless(pod("p", { state: { running: {} } })), undefined);
    });

    it("gives up at the first stop kafka-env explains itself (a data directory not writable), with its message", () => {
        const message =
            "kafka-env: /var/lib/kafka/data is not writable by uid 1000 in pod kafka-dev-kafka-0: ... Set kubernetes.storage.prepareVolumes: true ...\n";
        const stopped = pod("p", { restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 78, message } } });
        assert.equal(hopeless(stopped), `kafka: ${message.trim()}`);
        assert.equal(hopeless(pod("p", { state: { terminated: { exitCode: 1, message: "OOM" } } })), undefined, "only kafka-env's own stops");
    });
});

const NS = "/api/v1/namespaces/kafka";
const STS_PATH = "/apis/apps/v1/namespaces/kafka/statefulsets/kafka-e2e-kafka";
const inputs = (kubeconfig: string, timeoutSeconds = 600) => ({
    kubeconfig,
    namespace: "kafka",
    kind: "StatefulSet" as const,
    name: "kafka-e2e-kafka",
    revision: "2",
    timeoutSeconds,
});

describe("WorkloadReady against a fake API server", () => {
    it("returns once the StatefulSet is rolled out and ready, authenticating with the kubeconfig's token", async () => {
        const api = await fakeApi({ [STS_PATH]: sts(DONE) });
        try {
            await waitReady(inputs(api.kubeconfig));
            assert.deepEqual(api.requests, [`${STS_PATH} Bearer t0ken`]);
        } finally {
            api.close();
        }
    });

    it("gives up on a crash loop at once, naming the pod, its state and its last log lines, with a hint", async () => {
        const api = await fakeApi({
            [STS_PATH]: sts({ readyReplicas: 2, updatedReplicas: 3 }),
            [`${NS}/pods`]: { items: [pod("kafka-e2e-kafka-0", { state: { running: {} } }, true), crashLooping(4)] },
            [`${NS}/pods/kafka-e2e-kafka-2/log`]:
                "===> Check if /var/lib/kafka/data is writable ...\nERROR: /var/lib/kafka/data is not writable (running as appuser, uid 1000)\n",
            [`${NS}/events`]: { items: [{ type: "Warning", reason: "BackOff", message: "Back-off restarting failed container", count: 7 }] },
        });
        try {
            await assert.rejects(waitReady(inputs(api.kubeconfig)), (e: Error) => {
                const m = e.message;
                assert.match(
                    m,
                    /^StatefulSet kafka\/kafka-e2e-kafka: gave up after \d+ s, kafka: CrashLoopBackOff after 4 restarts; 2 of 3 ready, 3 updated\./,
                );
                assert.match(m, /pod kafka-e2e-kafka-2: Running \(Ready=False ContainersNotReady\)/);
                assert.match(
                    m,
                    /container kafka: waiting: CrashLoopBackOff \(back-off 40s restarting failed container\); 4 restarts; last run ended Error exit 1/,
                );
                assert.match(m, /BackOff \(x7\): Back-off restarting failed container/);
                assert.match(m, /\| ERROR: \/var\/lib\/kafka\/data is not writable \(running as appuser, uid 1000\)/);
                assert.match(m, /hint: a directory is not writable .*For a data volume: set kubernetes\.storage\.prepareVolumes true/);
                assert.doesNotMatch(m, /pod kafka-e2e-kafka-0/, "ready pods are not listed");
                return true;
            });
            // The crashed run's log (the container is waiting to restart).
            assert.ok(api.requests.some((r) => r.startsWith(`${NS}/pods/kafka-e2e-kafka-2/log?container=kafka&tailLines=${LOG_LINES_READ}&previous=true`)));
        } finally {
            api.close();
        }
    });

    it("reports a timeout with what it saw", async () => {
        const api = await fakeApi({
            [STS_PATH]: sts({ readyReplicas: 0, updatedReplicas: 3 }),
            [`${NS}/pods`]: { items: [pod("kafka-e2e-kafka-0", { state: { running: {} } })] },
            [`${NS}/pods/kafka-e2e-kafka-0/log`]: "waiting for the controller\n",
            [`${NS}/events`]: { items: [] },
        });
        try {
            await assert.rejects(
                waitReady(inputs(api.kubeconfig, -1)),
                /not ready after -1 s; 0 of 3 ready[\s\S]*container kafka: running, not ready[\s\S]*\| waiting for the controller/,
            );
        } finally {
            api.close();
        }
    });

    it("a failed topics Job shows the script's refusal", async () => {
        const job = {
            metadata: { uid: "u1" },
            spec: { selector: { matchLabels: { "controller-uid": "u1" } } },
            status: {
                failed: 1,
                conditions: [
                    {
                        type: "Failed",
                        status: "True",
                        reason: "PodFailurePolicy",
                        message: "Container topics for pod kafka/kafka-e2e-topics-x failed with exit code 3 matching FailJob rule at index 0",
                    },
                ],
            },
        };
        const failedPod: Pod = {
            metadata: { name: "kafka-e2e-topics-x" },
            status: { phase: "Failed", containerStatuses: [{ name: "topics", restartCount: 0, state: { terminated: { reason: "Error", exitCode: 3 } } }] },
        };
        const api = await fakeApi({
            "/apis/batch/v1/namespaces/kafka/jobs/kafka-e2e-topics": job,
            [`${NS}/pods`]: { items: [failedPod] },
            [`${NS}/pods/kafka-e2e-topics-x/log`]:
                "refused: e2e-orders has 3 partitions and the config asks for 2; Kafka cannot remove partitions (recreating the topic would delete its data)\n",
            [`${NS}/events`]: { items: [] },
        });
        try {
            await assert.rejects(waitReady({ ...inputs(api.kubeconfig), kind: "Job", name: "kafka-e2e-topics" }), (e: Error) => {
                assert.match(e.message, /^Job kafka\/kafka-e2e-topics: PodFailurePolicy: .*exit code 3/);
                assert.match(e.message, /container topics: terminated: Error exit 3/);
                assert.match(e.message, /\| refused: e2e-orders has 3 partitions and the config asks for 2/);
                return true;
            });
        } finally {
            api.close();
        }
    });
});

describe("kubeconfig reading", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-kubeconfig-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads files relative to the kubeconfig, picks the named context", () => {
        fs.writeFileSync(path.join(dir, "ca.crt"), "CA");
        fs.writeFileSync(path.join(dir, "admin.key"), "KEY");
        const file = path.join(dir, "config");
        fs.writeFileSync(
            file,
            [
                "clusters: [{name: a, cluster: {server: 'https://10.0.0.1:6443/', certificate-authority: ca.crt}}, {name: b, cluster: {server: 'https://b'}}]",
                "users: [{name: admin, user: {client-certificate-data: Q0VSVA==, client-key: admin.key}}]",
                "contexts: [{name: one, context: {cluster: a, user: admin}}, {name: two, context: {cluster: b, user: admin}}]",
                "current-context: two",
            ].join("\n"),
        );
        const c = connect(file, "one");
        assert.equal(c.server, "https://10.0.0.1:6443");
        assert.deepEqual([String(c.ca), String(c.cert), String(c.key)], ["CA", "CERT", "KEY"]);
        assert.equal(connect(file, undefined).server, "https://b");
        assert.throws(() => connect(file, "three"), /no context named "three"/);
    });

    it("runs an exec credential plugin for a token", () => {
        const plugin = path.join(dir, "plugin.sh");
        fs.writeFileSync(plugin, `#!/bin/sh\necho '{"status": {"token": "from-'"$WHO"'"}}'\n`, { mode: 0o755 });
        const kubeconfig = `clusters: [{name: a, cluster: {server: 'https://x'}}]\nusers: [{name: u, user: {exec: {command: ${plugin}, env: [{name: WHO, value: plugin}]}}}]\ncontexts: [{name: c, context: {cluster: a, user: u}}]\ncurrent-context: c\n`;
        assert.equal(connect(kubeconfig, undefined).token, "from-plugin");
    });
});
