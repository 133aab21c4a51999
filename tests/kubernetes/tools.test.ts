/**
 * `KafkaTools` on Kubernetes against a fake API server: each run is a Job that is created, waited
 * for and read, then deleted; a failed Job explains itself; and waiting for a pod to be gone.
 */
import { strict as assert } from "node:assert";
import { jobTools, podGone } from "../../components/kubernetes/tools";
import { fakeApi } from "./fakeApi";

const JOBS = "/apis/batch/v1/namespaces/kafka/jobs";
const PODS = "/api/v1/namespaces/kafka/pods";
const place = (kubeconfig: string, timeoutSeconds = 60) => ({ kubeconfig, namespace: "kafka", env: "kafka-dev", image: "apache/kafka:4.1.1", timeoutSeconds });

/** A Job that ends as `status` says, with one pod whose log is `log`. */
function jobServer(status: Record<string, unknown>, log: string) {
    return (method: string, path: string) => {
        if (method === "POST" && path === JOBS) return {};
        if (method === "DELETE" && path.startsWith(`${JOBS}/`)) return {};
        if (method === "GET" && path.startsWith(`${JOBS}/`))
            return { metadata: { uid: "u1" }, spec: { selector: { matchLabels: { "controller-uid": "u1" } } }, status };
        if (method === "GET" && path === PODS) {
            const terminated = { name: "kafka-tool", restartCount: 0, state: { terminated: { reason: "Error", exitCode: 1 } } };
            return { items: [{ metadata: { name: "tool-pod" }, status: { phase: "Failed", containerStatuses: [terminated] } }] };
        }
        if (method === "GET" && path === `${PODS}/tool-pod/log`) return log;
        return undefined;
    };
}

describe("Kafka's tools on Kubernetes (a Job per run)", () => {
    it("creates the Job (the brokers' image, the script, its variables), returns its log and deletes it", async () => {
        const api = await fakeApi({}, jobServer({ succeeded: 1, conditions: [{ type: "Complete", status: "True" }] }, "unregistered broker 4\n"));
        try {
            const tools = jobTools(place(api.kubeconfig), "kafka-dev-kafka-0.h:29092");
            assert.deepEqual(tools.admin, { bootstrap: "kafka-dev-kafka-0.h:29092" });
            assert.equal(await tools.run("reassign", "echo hi", { KAFKA_ENV_PLAN: '{"version":1}' }), "unregistered broker 4\n");
            const created = api.calls.find((c) => c.method === "POST")!.body as any;
            assert.match(created.metadata.name, /^kafka-dev-reassign-[0-9a-z]+$/);
            assert.equal(created.spec.backoffLimit, 0, "one try: a retried reassignment would plan on a stale view");
            assert.equal(created.metadata.labels["app.kubernetes.io/component"], "day2");
            const container = created.spec.template.spec.containers[0];
            assert.deepEqual([container.name, container.image, container.command], ["kafka-tool", "apache/kafka:4.1.1", ["bash", "-c", "echo hi"]]);
            assert.deepEqual(container.env, [
                { name: "KAFKA_HEAP_OPTS", value: "-Xmx256m" },
                { name: "KAFKA_ENV_PLAN", value: '{"version":1}' },
            ]);
            const pods = api.calls.find((c) => c.url.startsWith(`${PODS}?`))!;
            assert.equal(decodeURIComponent(pods.url.split("labelSelector=")[1]), `job-name=${created.metadata.name}`);
            assert.ok(api.calls.some((c) => c.method === "DELETE" && c.url === `${JOBS}/${created.metadata.name}?propagationPolicy=Background`));
        } finally {
            api.close();
        }
    });

    it("a failed run rejects with the Job's explanation, and the Job is deleted all the same", async () => {
        const failed = {
            failed: 1,
            conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }],
        };
        const api = await fakeApi({}, jobServer(failed, "org.apache.kafka.common.errors.TimeoutException\n"));
        try {
            await assert.rejects(jobTools(place(api.kubeconfig), "b:29092").run("features", "false"), (e: Error) => {
                assert.match(e.message, /^Job kafka\/kafka-dev-features-[0-9a-z]+: BackoffLimitExceeded: Job has reached the specified backoff limit/);
                assert.match(e.message, /\| org\.apache\.kafka\.common\.errors\.TimeoutException/);
                return true;
            });
            assert.ok(api.calls.some((c) => c.method === "DELETE"));
        } finally {
            api.close();
        }
    });

    it("on a secured cluster: the tools Secret mounted, passwords from a Secret of the Job's own, deleted with it", async () => {
        const SECRETS = "/api/v1/namespaces/kafka/secrets";
        const done = jobServer({ succeeded: 1, conditions: [{ type: "Complete", status: "True" }] }, "stored\n");
        const api = await fakeApi({}, (method, path) => (path.startsWith(SECRETS) ? {} : done(method, path)));
        try {
            const admin = { bootstrap: "p-0.h:29094", commandConfig: "/etc/kafka/secrets/tools.properties" };
            const tools = jobTools({ ...place(api.kubeconfig), toolsSecret: "kafka-dev-tools-tls" }, "p-0.h:29092", admin);
            assert.deepEqual(tools.admin, admin);
            await tools.run("kafka-env's credentials", "echo hi", { KAFKA_ENV_PASSWORD_0: "s3cret", KAFKA_ENV_PLAN: "{}" });
            const secret = api.calls.find((c) => c.method === "POST" && c.url === SECRETS)!.body as any;
            assert.deepEqual(secret.stringData, { KAFKA_ENV_PASSWORD_0: "s3cret" });
            const job = api.calls.find((c) => c.method === "POST" && c.url === JOBS)!.body as any;
            assert.match(job.metadata.name, /^kafka-dev-kafka-env-s-credentials-[0-9a-z]+$/);
            assert.equal(secret.metadata.name, `${job.metadata.name}-vars`);
            const container = job.spec.template.spec.containers[0];
            assert.deepEqual(container.env.slice(1), [
                { name: "KAFKA_ENV_PASSWORD_0", valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "KAFKA_ENV_PASSWORD_0" } } },
                { name: "KAFKA_ENV_PLAN", value: "{}" },
            ]);
            assert.doesNotMatch(JSON.stringify(job), /s3cret/);
            assert.deepEqual(container.volumeMounts, [{ name: "tls", mountPath: "/etc/kafka/secrets", readOnly: true }]);
            assert.deepEqual(job.spec.template.spec.volumes, [{ name: "tls", secret: { secretName: "kafka-dev-tools-tls", defaultMode: 0o440 } }]);
            assert.ok(api.calls.some((c) => c.method === "DELETE" && c.url === `${SECRETS}/${secret.metadata.name}`));
        } finally {
            api.close();
        }
    });

    it("waits for a pod to be gone, and gives up naming the pod and what it last saw", async () => {
        let asked = 0;
        const api = await fakeApi({}, (method, path) =>
            method === "GET" && path === `${PODS}/kafka-dev-kafka-3` && asked++ < 1 ? { status: { phase: "Running" } } : undefined,
        );
        try {
            await podGone(place(api.kubeconfig), "kafka-dev-kafka-3");
            assert.equal(asked, 2, "asked again after a pause, then found it gone");
            asked = 0;
            await assert.rejects(
                podGone(place(api.kubeconfig, 0), "kafka-dev-kafka-3"),
                /^Error: kafka-env: gave up after 0 s waiting for pod kafka\/kafka-dev-kafka-3 to be gone; last seen: the pod is still there \(Running\)\.$/,
            );
        } finally {
            api.close();
        }
    });
});
