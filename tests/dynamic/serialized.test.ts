/**
 * Every dynamic provider as the engine receives it: the text Pulumi's closure serializer made of
 * it (the `__provider` input), loaded in a fresh module the way the provider host loads it, then
 * asked for a diff, and where it needs no cluster, run. Serializing can succeed and still leave
 * code that fails in the host (a module it cannot find, a value it copied instead of requiring);
 * this finds that without an engine.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Recorded, runProgram, stackConfig } from "../../tools/graph/mocks";
import { apiVersionsResponse, fakeBroker } from "../kafka/fakeBroker";
import { fakeApi } from "../kubernetes/fakeApi";
import { load } from "./load";

const DYNAMIC = "pulumi-nodejs:dynamic/kafka-env:";

/** Each dynamic resource's type, loaded provider and inputs (as the engine passes them: no `__provider`, no undefined). */
function dynamicResources(resources: readonly Recorded[]) {
    return resources
        .filter((r) => r.type.startsWith(DYNAMIC))
        .map((r) => {
            const { __provider, ...inputs } = r.inputs;
            return {
                type: r.type.slice(DYNAMIC.length),
                name: r.name,
                provider: load(__provider as string),
                inputs: JSON.parse(JSON.stringify(inputs)) as object,
            };
        });
}

describe("dynamic providers as serialized for the engine", function () {
    this.timeout(60_000);
    const K8S_PROVIDER_TOPICS = {
        ...stackConfig("k8s"),
        "kafka-env:kubernetes": JSON.stringify({ external: { type: "NodePort", advertisedHost: "127.0.0.1" }, topics: "provider" }),
    };
    const stacks: [string, Record<string, string>, string][] = [
        ["dev (Docker)", stackConfig("dev"), "dev"],
        ["k8s (Kubernetes, topics through the provider)", K8S_PROVIDER_TOPICS, "k8s"],
    ];
    const seen = new Set<string>();

    for (const [title, config, stack] of stacks) {
        it(`${title}: every provider loads and reports no change for the same inputs, a change for another value`, async () => {
            const { resources } = await runProgram(config, stack);
            for (const r of dynamicResources(resources)) {
                seen.add(r.type);
                const same = await r.provider.diff("id", r.inputs, r.inputs);
                assert.equal(same.changes, false, `${r.type} ${r.name}`);
                assert.deepEqual(same.replaces ?? [], [], `${r.type} ${r.name} is never replaced`);
                const [key] = Object.keys(r.inputs);
                const changed = await r.provider.diff("id", r.inputs, { ...r.inputs, [key]: "something else" });
                assert.equal(changed.changes, true, `${r.type} ${r.name}: ${key} changed`);
            }
        });
    }

    it("covers every kind of dynamic resource", () => {
        assert.deepEqual([...seen].sort(), [
            "BootstrapReachable",
            "BrokerDrain",
            "BrokerSet",
            "BrokerSettle",
            "ClusterGuard",
            "RollGate",
            "Teardown",
            "TopicGuard",
            "VersionStep",
            "WorkloadReady",
        ]);
    });

    it("BootstrapReachable, as serialized, waits for a broker address and returns once it answers", async () => {
        const { resources } = await runProgram(K8S_PROVIDER_TOPICS, "k8s");
        const reachable = dynamicResources(resources).find((r) => r.type === "BootstrapReachable")!;
        const broker = await fakeBroker(() => apiVersionsResponse(1, 0));
        try {
            const created = await reachable.provider.create({ addresses: [`127.0.0.1:${broker.port}`], timeoutSeconds: 10 });
            assert.deepEqual(created.outs.addresses, [`127.0.0.1:${broker.port}`]);
            assert.equal(broker.requests.length, 1);
        } finally {
            broker.close();
        }
    });

    it("WorkloadReady, as serialized, reads the API server until the StatefulSet is ready", async () => {
        const { resources } = await runProgram(stackConfig("k8s"), "k8s");
        const waiter = dynamicResources(resources).find((r) => r.type === "WorkloadReady" && r.name === "kafka-dev-kafka-ready")!;
        const sts = "/apis/apps/v1/namespaces/kafka/statefulsets/kafka-dev-kafka";
        const ready = {
            metadata: { generation: 1 },
            spec: { replicas: 3 },
            status: { observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 3 },
        };
        const api = await fakeApi({ [sts]: ready });
        try {
            const created = await waiter.provider.create({ ...waiter.inputs, kubeconfig: api.kubeconfig });
            assert.equal(created.id, "StatefulSet/kafka/kafka-dev-kafka");
            assert.deepEqual(api.requests, [`${sts} Bearer t0ken`]);
        } finally {
            api.close();
        }
    });

    it("the Kubernetes VersionStep, as serialized, runs kafka-features in a Job after an upgrade", async () => {
        const { resources } = await runProgram(stackConfig("k8s"), "k8s");
        const step = dynamicResources(resources).find((r) => r.type === "VersionStep")!;
        const jobs = "/apis/batch/v1/namespaces/kafka/jobs";
        const complete = { spec: { selector: { matchLabels: {} } }, status: { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] } };
        const api = await fakeApi({}, (method, p) =>
            method === "POST" || method === "DELETE" ? {} : p.startsWith(`${jobs}/`) ? complete : p.endsWith("/pods") ? { items: [] } : undefined,
        );
        try {
            const v = (image: string) => ({ ...step.inputs, kubeconfig: api.kubeconfig, mode: "kraft", image });
            const updated = await step.provider.update("version", v("apache/kafka:4.0.0"), v("apache/kafka:4.1.1"));
            assert.match(String(updated.outs.lastStep), /^4\.0 → 4\.1: kafka-features upgrade --metadata 4\.1/);
            const job = api.calls.find((c) => c.method === "POST")!.body as { spec: { template: { spec: { containers: { command: string[] }[] } } } };
            assert.match(job.spec.template.spec.containers[0].command[2], /"\$t" --bootstrap-server \S+ upgrade --metadata 4\.1$/);
        } finally {
            api.close();
        }
    });

    it("the Docker BrokerSet, as serialized, drains, stops and unregisters a leaving KRaft broker (a stand-in docker and Kafka tools)", async () => {
        const { resources } = await runProgram(stackConfig("dev"), "dev");
        const set = dynamicResources(resources).find((r) => r.type === "BrokerSet")!;
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-serialized-"));
        const savedPath = process.env.PATH;
        const script = (body: string) => `#!/bin/bash\necho "$(basename "$0") $*" >> ${bin}/log\n${body}\n`;
        fs.writeFileSync(path.join(bin, "docker"), script('[ "$1" = exec ] || exit 0\nshift 3\nexec "$@"'), { mode: 0o755 });
        const describe = "echo 'Topic: audit\tPartition: 0\tLeader: 1\tReplicas: 1,4\tIsr: 1,4'";
        fs.writeFileSync(path.join(bin, "kafka-topics"), script(describe), { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "kafka-reassign-partitions"), script('case "$*" in *--verify*) echo "is completed";; esac'), { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "kafka-cluster"), script(""), { mode: 0o755 });
        process.env.PATH = `${bin}:${savedPath}`;
        try {
            const containers = (brokers: number[]) => Object.fromEntries(brokers.map((b) => [String(b), `kafka-dev-kafka-${b}`]));
            const state = (brokers: number[]) => ({ ...set.inputs, kraft: true, brokers, containers: containers(brokers) });
            const updated = await set.provider.update("brokers", state([1, 2, 3, 4]), state([1, 2, 3]));
            assert.deepEqual({ ...(updated.outs.lastReassignment as object), seconds: 0 }, { reason: "drain broker 4", partitions: 1, seconds: 0 });
            const log = fs.readFileSync(path.join(bin, "log"), "utf8");
            assert.match(log, /^docker exec -i kafka-dev-kafka-1 bash -c eval "\$\(cat\)"$/m);
            assert.match(log, /^kafka-reassign-partitions --bootstrap-server localhost:29092 --reassignment-json-file \S+ --execute$/m);
            assert.match(log, /^docker stop -t 120 kafka-dev-kafka-4\ndocker exec .*\nkafka-cluster unregister --bootstrap-server localhost:29092 --id 4$/m);
        } finally {
            process.env.PATH = savedPath;
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });
});
