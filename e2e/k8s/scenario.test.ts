/**
 * The end-to-end scenario on a real Kubernetes cluster (e2e/k8s/run.sh brings it up and down and
 * runs this inside its network namespace): `pulumi up` into a namespace, clients inside and outside
 * the cluster network, kafka-ui, topic changes and refusals, a force-deleted broker; then the
 * day-2 steps on the same cluster (e2e/k8s/day2.ts: a rolling settings change, a scale-out and a
 * scale-in, an upgrade); destroy. Each variant runs the steps in order; a step relies on the ones
 * before.
 */
import { strict as assert } from "node:assert";
import { waitFor } from "../lib/docker";
import { kubectl, pods, runPod } from "../lib/k8s";
import { backgroundProducer, consumeAll, inOrderPerKey, leaders, partitionCount, produce } from "../lib/kafka";
import { PulumiStack } from "../lib/pulumi";
import { k8sDay2Steps } from "./day2";
import { VARIANTS, component, seconds, unread } from "./variants";

for (const v of VARIANTS) {
    const ns = v.env; // the stack's namespace is named after the environment
    const broker = (ordinal: number) => `${v.env}-kafka-${ordinal}`;
    describe(`Kubernetes end to end, ${v.mode} mode, topics via ${v.topics} (${v.stack})`, function () {
        this.timeout(20 * 60 * 1000);
        const stack = new PulumiStack(v.stack);
        let outputs: Record<string, string>;
        let bootstrap: string;
        const orders = { produced: 0 }; // e2e-orders messages acknowledged so far (the sequence from 0)

        before(() => {
            assert.ok(process.env.KUBECONFIG, "KUBECONFIG must point at the e2e cluster (e2e/k8s/run.sh sets it)");
            stack.init();
        });

        after(function () {
            if (kubectl(["get", "namespace", ns, "--ignore-not-found", "-o", "name"]) !== "") {
                stack.editCluster((c) => (c.protectTopics = false));
                stack.up({ allowFailure: true });
                stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            }
            stack.remove();
        });

        it("pulumi up creates the cluster in its namespace; every pod is ready", () => {
            const up = stack.up();
            console.log(`      pulumi up: ${seconds(up.seconds)}`);
            outputs = stack.outputs();
            assert.equal(outputs.bootstrapServers, [0, 1, 2].map((i) => `10.250.0.1:${v.port + i}`).join(","));
            const all = pods(ns).filter((p) => !p.name.startsWith(`${v.env}-topics`));
            assert.ok(all.length >= 5, all.map((p) => p.name).join(","));
            for (const p of all) assert.ok(p.ready, `${p.name} is not ready`);
            bootstrap = outputs.bootstrapServers;
        });

        it("a client pod in the cluster produces with acks=all and consumes through the in-cluster addresses", () => {
            const tool = (t: string) => `$(command -v ${t} || echo /opt/kafka/bin/${t}.sh)`;
            const script = [
                "set -eo pipefail",
                "export KAFKA_HEAP_OPTS=-Xmx128m",
                `seq 1 200 | sed 's/^/in-cluster-/' | ${tool("kafka-console-producer")} --bootstrap-server '${outputs.internalBootstrapServers}' --topic e2e-events --producer-property acks=all`,
                `${tool("kafka-console-consumer")} --bootstrap-server '${outputs.internalBootstrapServers}' --topic e2e-events --from-beginning --max-messages 200 --timeout-ms 90000 2>/dev/null | grep -c '^in-cluster-'`,
            ].join("\n");
            const log = runPod(ns, "e2e-client", v.clientImage, script, 400);
            assert.match(log, /^200$/m, log);
        });

        it("a client outside the cluster network reaches the brokers through the NodePorts of bootstrapServers", async () => {
            assert.equal(await partitionCount(bootstrap, "e2e-orders"), 3);
            orders.produced = (await produce(bootstrap, "e2e-orders", 1000)).acknowledged.length;
            assert.equal(orders.produced, 1000);
            const got = await consumeAll(bootstrap, "e2e-orders", orders.produced);
            assert.equal(got.length, orders.produced);
            assert.ok(inOrderPerKey(got));
        });

        it("kafka-ui's pod is ready (its health endpoint answers) and its bootstrap string lists the brokers' in-cluster addresses", () => {
            const [ui] = pods(ns, component(v.env, "kafka-ui"));
            assert.ok(ui?.ready, "kafka-ui pod ready");
            const bootstrap = ui.env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS;
            assert.equal(bootstrap, outputs.internalBootstrapServers);
            for (const i of [0, 1, 2]) assert.ok(bootstrap.includes(`${broker(i)}.${v.env}-kafka-headless.${ns}.svc.cluster.local:29092`));
        });

        it("a preview right after up expects no changes", () => {
            stack.run(["preview", "--expect-no-changes", "--diff"]);
        });

        it(`a topic change goes through the ${v.topics === "job" ? "topics Job" : "Kafka provider"} alone`, async () => {
            stack.editCluster((c) => {
                c.topics.find((t: { name: string }) => t.name === "e2e-events").partitions = 3;
                c.topics.push({ name: "e2e-refunds", partitions: 2 });
            });
            const steps = stack.previewSteps();
            assert.ok(steps.length > 0);
            const alone = v.topics === "job" ? /-topics(-ready)?$/ : /^(kafka:index\/topic:Topic|pulumi-nodejs:dynamic\/kafka-env:TopicGuard) /;
            for (const [, type, name] of steps) assert.match(`${type} ${name}`, alone, steps.join("; "));
            stack.up();
            assert.equal(await partitionCount(bootstrap, "e2e-events"), 3);
            assert.equal(await partitionCount(bootstrap, "e2e-refunds"), 2);
            stack.run(["preview", "--expect-no-changes"]);
        });

        it("a partition decrease is refused with a clear error; the topic and its messages survive", async () => {
            stack.editCluster((c) => (c.topics.find((t: { name: string }) => t.name === "e2e-orders").partitions = 2));
            const up = stack.up({ allowFailure: true });
            assert.notEqual(up.code, 0, "pulumi up must fail");
            // The topics Job's script refuses it in the cluster; in the provider mode the TopicGuard refuses it before any topic is touched.
            const refusal = /refused: e2e-orders has 3 partitions and the config asks for 2/;
            assert.match(up.stdout + up.stderr, refusal);
            console.log(
                `      refused in ${seconds(up.seconds)}: ${(up.stdout + up.stderr)
                    .split("\n")
                    .find((l) => refusal.test(l))
                    ?.trim()}`,
            );
            assert.equal(await partitionCount(bootstrap, "e2e-orders"), 3);
            assert.deepEqual(unread(await consumeAll(bootstrap, "e2e-orders", orders.produced), orders.produced), []);
            stack.editCluster((c) => (c.topics.find((t: { name: string }) => t.name === "e2e-orders").partitions = 3));
            stack.up();
            stack.run(["preview", "--expect-no-changes"]);
        });

        it("a force-deleted broker pod comes back with its data; acks=all writes go on; nothing acknowledged is lost", async () => {
            const victim = broker(1); // broker 2
            const marker = `marker-${Date.now()}`;
            const readData = () =>
                kubectl([
                    "exec",
                    "-n",
                    ns,
                    victim,
                    "--",
                    "bash",
                    "-c",
                    "cat /var/lib/kafka/data/e2e-marker; grep cluster.id /var/lib/kafka/data/logs/meta.properties",
                ]);
            kubectl(["exec", "-n", ns, victim, "--", "bash", "-c", `echo ${marker} > /var/lib/kafka/data/e2e-marker`]);
            const before = readData();
            const [old] = pods(ns).filter((p) => p.name === victim);
            const led = [...(await leaders(bootstrap, "e2e-orders"))].filter(([, l]) => l === 2).map(([p]) => p);
            const producer = backgroundProducer(bootstrap, "e2e-orders", orders.produced);
            let failover = 0;
            let back = 0;
            let acked = 0;
            try {
                await new Promise((r) => setTimeout(r, 3000));
                kubectl(["delete", "pod", "-n", ns, victim, "--grace-period=0", "--force"]);
                failover =
                    led.length === 0
                        ? 0
                        : await waitFor(
                              "new leaders for its partitions",
                              async () => {
                                  const now = await leaders(bootstrap, "e2e-orders");
                                  return led.every((p) => now.has(p) && now.get(p) !== 2);
                              },
                              300,
                          );
                back = await waitFor(
                    `${victim} back and ready (caught up)`,
                    () => pods(ns).some((p) => p.name === victim && p.uid !== old.uid && p.ready),
                    600,
                );
            } finally {
                acked = await producer.stop();
                orders.produced += acked;
            }
            console.log(
                `      partitions it led had new leaders after ${seconds(failover)}; pod back and caught up after ${seconds(back)}; ${acked} messages acknowledged meanwhile`,
            );
            assert.equal(readData(), before, "same volume: the marker and the cluster id are still there");
            const got = await consumeAll(bootstrap, "e2e-orders", orders.produced, 180000);
            assert.deepEqual(unread(got, orders.produced), [], "every acknowledged message is read back");
        });

        k8sDay2Steps({ variant: v, stack, outputs: () => outputs, orders });

        it("pulumi destroy removes the namespace and everything in it; the claims go with it and their volumes are deleted", async () => {
            stack.editCluster((c) => (c.protectTopics = false));
            stack.up();
            const claims = kubectl(["get", "pvc", "-n", ns, "-o", "jsonpath={.items[*].spec.volumeName}"]).split(" ").filter(Boolean);
            assert.ok(claims.length >= 4, `claims: ${claims.join(",")}`);
            stack.run(["destroy", "--yes", "--skip-preview"]);
            assert.equal(kubectl(["get", "namespace", ns, "--ignore-not-found", "-o", "name"]), "");
            const gone = await waitFor(
                "the claims' volumes to be deleted",
                () => {
                    const left = kubectl(["get", "pv", "-o", "jsonpath={.items[*].metadata.name}"]).split(" ");
                    return claims.every((c) => !left.includes(c));
                },
                180,
            );
            console.log(`      ${claims.length} claims deleted with the namespace; their volumes (reclaimPolicy Delete) gone ${seconds(gone)} later`);
        });
    });
}
