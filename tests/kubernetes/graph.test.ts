/** The resource graph of the k8s stack as it stands (ZooKeeper mode); its variants are in graphVariants.test.ts. */
import { strict as assert } from "node:assert";
import { Recorded, stackConfig } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { schemaErrors } from "./schema";
import { K8S, POD, manifests, nodeEnv, run } from "./stackGraph";

describe("Kubernetes resource graph (Pulumi.k8s.yaml, ZooKeeper mode)", () => {
    let resources: Recorded[];
    let outputs: Awaited<ReturnType<typeof run>>["outputs"];
    before(async () => {
        ({ resources, outputs } = await run(K8S));
    });

    it("describes the same cluster as the dev stack", () => {
        const dev = JSON.parse(stackConfig("dev")["kafka-env:cluster"]);
        const k8s = JSON.parse(K8S["kafka-env:cluster"]);
        delete dev.listeners; // host ports and bind address: Docker only
        assert.deepEqual(k8s, dev);
    });

    it("exports in-cluster addresses under the Docker stack's output names", () => {
        // Clients bootstrap from one Service in front of the brokers: stable when brokers are added.
        assert.deepEqual(outputs, {
            bootstrapServers: "kafka-dev-kafka-bootstrap.kafka.svc.cluster.local:29092",
            internalBootstrapServers: "kafka-dev-kafka-bootstrap.kafka.svc.cluster.local:29092",
            kafkaUiUrl: "http://kafka-dev-kafka-ui.kafka.svc.cluster.local:8080",
            zookeeperConnect: "kafka-dev-zookeeper-0.kafka-dev-zookeeper-headless.kafka.svc.cluster.local:2181",
        });
    });

    it("creates the namespace and puts every object in it, through one provider", () => {
        assert.deepEqual(
            [...byType(resources, TYPES.namespace).values()].map((n) => n.inputs.metadata.name),
            ["kafka"],
        );
        const providers = [...byType(resources, TYPES.k8sProvider).keys()];
        assert.deepEqual(providers, ["kafka-dev-kubernetes"]);
        for (const r of resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== TYPES.namespace)) {
            assert.equal(r.inputs.metadata.namespace, "kafka", `${r.type} ${r.name}`);
            assert.match(r.provider ?? "", /pulumi:providers:kubernetes::kafka-dev-kubernetes::/);
        }
    });

    it("runs ZooKeeper and the brokers as StatefulSets behind headless Services", () => {
        const sts = byType(resources, TYPES.statefulSet);
        assert.deepEqual([...sts.keys()].sort(), ["kafka-dev-kafka", "kafka-dev-zookeeper"]);
        const kafka = sts.get("kafka-dev-kafka")!.inputs;
        assert.equal(kafka.spec.replicas, 3);
        assert.equal(kafka.spec.serviceName, "kafka-dev-kafka-headless");
        assert.equal(kafka.spec.podManagementPolicy, "Parallel");
        assert.equal(sts.get("kafka-dev-zookeeper")!.inputs.spec.replicas, 1);
        const headless = byType(resources, TYPES.service).get("kafka-dev-kafka-headless")!.inputs;
        assert.equal(headless.spec.clusterIP, "None");
        assert.equal(headless.spec.publishNotReadyAddresses, true);
        assert.deepEqual(headless.spec.selector, kafka.spec.template.metadata.labels);
    });

    it("advertises each pod's stable DNS name and derives the node id from the ordinal", () => {
        for (const i of [1, 2, 3]) {
            const env = nodeEnv(resources, `kafka-${i}`);
            assert.equal(env.KAFKA_BROKER_ID, String(i));
            assert.equal(env.KAFKA_ADVERTISED_LISTENERS, `INTERNAL://${POD(i - 1)}:29092`);
            assert.equal(env.KAFKA_ZOOKEEPER_CONNECT, "kafka-dev-zookeeper-0.kafka-dev-zookeeper-headless.kafka.svc.cluster.local:2181");
        }
        const container = byType(resources, TYPES.statefulSet).get("kafka-dev-kafka")!.inputs.spec.template.spec.containers[0];
        // The brokers are of one kind: one env file, written over the pod's ordinal, serves them all.
        const files = byType(resources, TYPES.configMap).get("kafka-dev-kafka-settings")!.inputs.data;
        assert.deepEqual(Object.keys(files), ["from-ordinal-0.env"]);
        assert.match(files["from-ordinal-0.env"], /^export KAFKA_BROKER_ID="\$\(\( pod_ordinal \+ 1 \)\)"$/m);
        assert.ok(container.volumeMounts.some((m: { mountPath: string }) => m.mountPath === "/etc/kafka-env"));
    });

    it("keeps data on claims from volume claim templates, sized as configured", () => {
        const kafka = byType(resources, TYPES.statefulSet).get("kafka-dev-kafka")!.inputs.spec;
        assert.deepEqual(
            kafka.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage]),
            [["data", "10Gi"]],
        );
        const zk = byType(resources, TYPES.statefulSet).get("kafka-dev-zookeeper")!.inputs.spec;
        assert.deepEqual(
            zk.volumeClaimTemplates.map((t: any) => t.metadata.name),
            ["data", "log"],
        );
        assert.equal(kafka.template.spec.securityContext.fsGroup, 1000);
    });

    it("sets requests, limits, probes, anti-affinity and a disruption budget", () => {
        const spec = byType(resources, TYPES.statefulSet).get("kafka-dev-kafka")!.inputs.spec.template.spec;
        const c = spec.containers[0];
        assert.deepEqual(c.resources, { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } });
        // Ready = caught up: in the ISR of every partition it holds, from bash (see tests/kubernetes/brokerReady.test.ts).
        assert.match(c.readinessProbe.exec.command[2], /exec 3<>\/dev\/tcp\/127\.0\.0\.1\/29092/);
        assert.doesNotMatch(c.readinessProbe.exec.command[2], /kafka-topics/, "no JVM per probe");
        assert.equal(c.livenessProbe.tcpSocket.port, 29092);
        // Liveness waits for the start (up to 10 min): a slow JVM start on a busy node is not killed.
        assert.deepEqual(c.startupProbe, { tcpSocket: { port: 29092 }, periodSeconds: 10, failureThreshold: 60 });
        assert.equal(c.livenessProbe.initialDelaySeconds, undefined);
        assert.equal(spec.enableServiceLinks, false);
        const term = spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0];
        assert.equal(term.podAffinityTerm.topologyKey, "kubernetes.io/hostname");
        const pdb = byType(resources, TYPES.pdb).get("kafka-dev-kafka-pdb")!.inputs.spec;
        assert.equal(pdb.maxUnavailable, 1);
    });

    it("points kafka-ui at the bootstrap Service, which selects the brokers on their client listener", () => {
        const ui = byType(resources, TYPES.deployment).get("kafka-dev-kafka-ui")!.inputs.spec.template.spec.containers[0];
        const env = Object.fromEntries(ui.env.map((e: { name: string; value: string }) => [e.name, e.value]));
        assert.equal(env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS, "kafka-dev-kafka-bootstrap.kafka.svc.cluster.local:29092");
        const bootstrap = byType(resources, TYPES.service).get("kafka-dev-kafka-bootstrap")!.inputs.spec;
        assert.equal(bootstrap.type, "ClusterIP");
        assert.deepEqual(bootstrap.selector, byType(resources, TYPES.statefulSet).get("kafka-dev-kafka")!.inputs.spec.selector.matchLabels);
        assert.deepEqual(bootstrap.ports, [{ name: "internal", port: 29092, targetPort: 29092 }]);
        assert.ok(byType(resources, TYPES.service).has("kafka-dev-kafka-ui"));
    });

    it("creates topics with an in-cluster Job once the brokers are ready", () => {
        const job = byType(resources, TYPES.job).get("kafka-dev-topics")!;
        const script = job.inputs.spec.template.spec.containers[0].command[2] as string;
        assert.match(script, /ensure 'customers.compacted' 3 3 'cleanup.policy=compact'/);
        assert.match(script, /ensure 'orders' 6 3\n/);
        assert.match(script, /ensure 'payments' 3 3 'retention.ms=604800000'/);
        // After the brokers' waiter: the brokers are ready, not merely created.
        assert.ok(job.options!.dependsOn.some((u) => u.endsWith("WorkloadReady::kafka-dev-kafka-ready")));
        assert.match(job.inputs.metadata.name, /^kafka-dev-topics-[0-9a-f]{10}$/);
        assert.equal(byType(resources, TYPES.topic).size, 0);
    });

    it("renders only schema-valid Kubernetes objects (strict: unknown fields fail)", function () {
        this.timeout(60000);
        assert.deepEqual(schemaErrors(manifests(resources)), []);
    });
});
