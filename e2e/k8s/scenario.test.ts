/**
 * The end-to-end scenario on a real Kubernetes cluster (e2e/k8s/run.sh brings it up and down and
 * runs this inside its network namespace): `pulumi up` into a namespace, clients inside and outside
 * the cluster network, kafka-ui, topic changes and refusals, a force-deleted broker (its
 * under-replicated partitions on /metrics); restricted Pod Security, NetworkPolicies enforced by
 * the cluster's policy controller, broker.rack from the node's zone, the readiness probe's CPU; then the
 * day-2 steps on the same cluster (e2e/k8s/day2.ts: a rolling settings change, a scale-out and a
 * scale-in, an upgrade); destroy. Each variant runs the steps in order; a step relies on the ones
 * before.
 */
import { strict as assert } from "node:assert";
import { waitFor } from "../lib/docker";
import { kubectl, pods, runPod } from "../lib/k8s";
import { Brokers, backgroundProducer, consumeAll, inOrderPerKey, leaders, partitionCount, produce } from "../lib/kafka";
import { PulumiStack } from "../lib/pulumi";
import { StackLogins, stackLogins } from "../lib/security";
import { aclDeleted, aclRemovalStep, longRunningPods } from "../security/aclRemoval";
import { securitySteps } from "../security/checks";
import { podLogin, podToolRunner, withLogin } from "./security";
import { k8sDay2Steps } from "./day2";
import { METADATA_V0 } from "../../components/model/brokerReady";
import { UNDER_REPLICATED, brokerRack, cpuSeconds, metric, reachable, scrape } from "./platform";
import { VARIANTS, component, seconds, unread } from "./variants";

for (const v of VARIANTS) {
    const ns = v.env; // the stack's namespace is named after the environment
    const broker = (ordinal: number) => `${v.env}-kafka-${ordinal}`;
    describe(`Kubernetes end to end, ${v.mode} mode, topics via ${v.topics} (${v.stack})`, function () {
        this.timeout(20 * 60 * 1000);
        const stack = new PulumiStack(v.stack);
        let outputs: Record<string, string>;
        let bootstrap: Brokers;
        let logins: StackLogins | undefined; // on a secured stack
        const orders = { produced: 0 }; // e2e-orders messages acknowledged so far (the sequence from 0)

        const address = (group: string, port: number) => `${v.env}-${group}-0.${v.env}-${group}-headless.${ns}.svc.cluster.local:${port}`;
        /** Under-replicated partitions on the brokers that are up, from their /metrics. */
        const underReplicated = async (except?: string) => {
            let sum = 0;
            for (const i of [0, 1, 2].filter((i) => broker(i) !== except)) sum += metric(await scrape(ns, broker(i)), UNDER_REPLICATED) ?? Number.NaN;
            return sum;
        };

        before(() => {
            assert.ok(process.env.KUBECONFIG, "KUBECONFIG must point at the e2e cluster (e2e/k8s/run.sh sets it)");
            assert.ok(process.env.KAFKA_ENV_JMX_AGENT, "KAFKA_ENV_JMX_AGENT must name the JMX exporter agent's jar (e2e/k8s/run.sh sets it)");
            stack.init();
            stack.editCluster((c) => (c.metrics = { enabled: true, agentJar: process.env.KAFKA_ENV_JMX_AGENT }));
        });

        after(function () {
            if (kubectl(["get", "namespace", ns, "--ignore-not-found", "-o", "name"]) !== "") {
                stack.editCluster((c) => (c.protectTopics = false));
                stack.up({ allowFailure: true });
                stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            }
            stack.remove();
            // Gone before the next variant creates them again.
            kubectl(["delete", "namespace", "e2e-outsider", "e2e-allowed", "--ignore-not-found", "--timeout=120s"], { allowFailure: true });
        });

        it("pulumi up creates the cluster in its namespace; every pod is ready", () => {
            const up = stack.up();
            console.log(`      pulumi up: ${seconds(up.seconds)}`);
            outputs = stack.outputs();
            assert.equal(outputs.bootstrapServers, [0, 1, 2].map((i) => `10.250.0.1:${v.port + i}`).join(","));
            // Tool Jobs' pods (topics; day-2 steps, credentials and ACLs) end, and go a moment after their Jobs.
            const all = pods(ns, "app.kubernetes.io/component notin (topics,day2)").filter((p) => !p.name.startsWith(`${v.env}-topics`));
            assert.ok(all.length >= 5, all.map((p) => p.name).join(","));
            for (const p of all) assert.ok(p.ready, `${p.name} is not ready`);
            logins = stackLogins(stack);
            assert.equal(logins !== undefined, v.secured, "a secured stack exports caCertificate and adminCredentials");
            bootstrap = withLogin(outputs.bootstrapServers, logins?.admin);
        });

        it("runs under Pod Security restricted, each broker with broker.rack from its node's zone and /metrics; the readiness check needs no JVM", async () => {
            const label = kubectl(["get", "namespace", ns, "-o", "jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}"]);
            assert.equal(label, "restricted");
            for (const i of [0, 1, 2]) assert.equal(brokerRack(ns, broker(i)), process.env.K8S_ZONE ?? "e2e-zone-a", `${broker(i)} broker.rack`);
            assert.equal(await underReplicated(), 0, "a healthy cluster has no under-replicated partition");
            const quorum = await scrape(ns, `${v.env}-${v.other}-0`);
            assert.match(quorum, v.mode === "zookeeper" ? /^zookeeper_/m : /^kafka_server_raftmetrics_current_leader /m);
            // The readiness check's CPU per call: a JVM (Kafka's tool, as the probe was) against bash (the probe now).
            // A secured broker is asked on PROBE, PLAINTEXT on its loopback, where ANONYMOUS may describe topics (PROBE_ACLS).
            const probe = kubectl(["get", "pod", "-n", ns, broker(0), "-o", "jsonpath={.spec.containers[0].readinessProbe.exec.command[2]}"]);
            const port = v.secured ? 29095 : 29092;
            assert.match(probe, new RegExp(`^exec 3<>/dev/tcp/127\\.0\\.0\\.1/${port} `, "m"));
            const login = v.secured ? "localhost:29094 --command-config /etc/kafka/secrets/client.properties" : "localhost:29092";
            const jvm = `t=$(command -v kafka-topics || echo /opt/kafka/bin/kafka-topics.sh); KAFKA_HEAP_OPTS=-Xmx128m KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1' "$t" --bootstrap-server ${login} --describe --under-replicated-partitions`;
            if (v.secured) {
                // What the probe reads: the topics' partitions, not an empty list (which would be ready whatever the ISR).
                const ask = `exec 3<>/dev/tcp/127.0.0.1/${port}; printf '${METADATA_V0}' >&3; timeout 3 cat <&3 | grep -a -c e2e-orders || true`;
                const seen = kubectl(["exec", "-n", ns, broker(0), "--", "bash", "-c", ask]).trim();
                assert.notEqual(seen, "0", "the probe's Metadata request on PROBE lists e2e-orders");
            }
            const [before, after] = [cpuSeconds(ns, broker(0), jvm), cpuSeconds(ns, broker(0), probe)];
            console.log(
                `      readiness check CPU per call: ${before.toFixed(2)} s with a JVM (kafka-topics), ${after.toFixed(3)} s now (bash, one Metadata request${v.secured ? " on PROBE" : ""})`,
            );
            assert.ok(after < before / 10, `the probe costs ${after} s of CPU, the JVM ${before} s`);
        });

        it("NetworkPolicies: a pod of another namespace is refused on the brokers' and the quorum's ports; one of an allowed namespace reaches the brokers only", () => {
            for (const n of ["e2e-outsider", "e2e-allowed"]) kubectl(["create", "namespace", n]);
            const kafka = address("kafka", 29092);
            const quorum = v.mode === "zookeeper" ? address("zookeeper", 2181) : address("controller", 29093);
            assert.deepEqual(reachable("e2e-outsider", v.clientImage, [kafka, quorum]), { [kafka]: false, [quorum]: false }, "from e2e-outsider");
            assert.deepEqual(reachable("e2e-allowed", v.clientImage, [kafka, quorum]), { [kafka]: true, [quorum]: false }, "from e2e-allowed");
        });

        it("a client pod in the cluster produces with acks=all and consumes through the in-cluster addresses", () => {
            const tool = (t: string) => `$(command -v ${t} || echo /opt/kafka/bin/${t}.sh)`;
            const login = podLogin(logins?.admin);
            const script = [
                "set -eo pipefail",
                "export KAFKA_HEAP_OPTS=-Xmx128m",
                ...login.lines,
                `seq 1 200 | sed 's/^/in-cluster-/' | ${tool("kafka-console-producer")} --bootstrap-server '${outputs.internalBootstrapServers}' ${login.producerConfig} --topic e2e-events --producer-property acks=all`,
                `${tool("kafka-console-consumer")} --bootstrap-server '${outputs.internalBootstrapServers}' ${login.consumerConfig} --topic e2e-events --from-beginning --max-messages 200 --timeout-ms 90000 2>/dev/null | grep -c '^in-cluster-'`,
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

        it("kafka-ui's pod is ready (its health endpoint answers) and bootstraps from the bootstrap Service, in front of every broker", () => {
            const [ui] = pods(ns, component(v.env, "kafka-ui"));
            assert.ok(ui?.ready, "kafka-ui pod ready");
            const bootstrap = ui.env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS;
            assert.equal(bootstrap, outputs.internalBootstrapServers);
            assert.equal(bootstrap, `${v.env}-kafka-bootstrap.${ns}.svc.cluster.local:29092`);
            const behind = kubectl([
                "get",
                "endpointslices",
                "-n",
                ns,
                "-l",
                `kubernetes.io/service-name=${v.env}-kafka-bootstrap`,
                "-o",
                "jsonpath={.items[*].endpoints[*].targetRef.name}",
            ]);
            assert.deepEqual(behind.split(" ").sort(), [0, 1, 2].map(broker), "the bootstrap Service is in front of every broker");
        });

        if (v.secured) {
            securitySteps({
                env: v.env,
                toolImage: v.clientImage,
                outputs: () => outputs,
                logins: () => logins!,
                tools: podToolRunner(ns, v.clientImage),
                brokerHost: address("kafka", 29092).replace(/:\d+$/, ""),
                // The brokers are reached by the node's address, an IP in their certificates: no other name of it to dial here.
                uncovered: () => undefined,
            });
        }

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
            let urp = 0;
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
                // The brokers that stay see the partitions they lead without broker 2 in their ISR.
                await waitFor(`under-replicated partitions on /metrics while ${victim} is down`, async () => (urp = await underReplicated(victim)) > 0, 120);
                back = await waitFor(
                    `${victim} back and ready (caught up)`,
                    () => pods(ns).some((p) => p.name === victim && p.uid !== old.uid && p.ready),
                    600,
                );
                await waitFor("no under-replicated partition once it is back", async () => (await underReplicated()) === 0, 120);
            } finally {
                acked = await producer.stop();
                orders.produced += acked;
            }
            console.log(
                `      partitions it led had new leaders after ${seconds(failover)}; ${urp} under-replicated partitions on /metrics meanwhile; pod back and caught up after ${seconds(back)}, none left; ${acked} messages acknowledged meanwhile`,
            );
            assert.equal(readData(), before, "same volume: the marker and the cluster id are still there");
            const got = await consumeAll(bootstrap, "e2e-orders", orders.produced, 180000);
            assert.deepEqual(unread(got, orders.produced), [], "every acknowledged message is read back");
        });

        k8sDay2Steps({ variant: v, stack, outputs: () => outputs, orders, login: () => logins?.admin });

        if (v.secured) {
            aclRemovalStep({
                stack,
                env: v.env,
                toolImage: v.clientImage,
                outputs: () => outputs,
                logins: () => logins!,
                running: () => longRunningPods(ns, v.env),
                // Job mode: one update of the access step, whose Job runs kafka-acls --remove; else the provider deletes the binding's Acl.
                previews: v.topics === "job" ? [["update", "pulumi-nodejs:dynamic/kafka-env:KubeAccess", `${v.env}-access`]] : aclDeleted(v.env),
            });
        }

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
