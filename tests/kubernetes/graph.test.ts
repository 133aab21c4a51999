import { strict as assert } from "node:assert";
import { Recorded, runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { podEnv } from "./podEnv";
import { schemaErrors } from "./schema";

const K8S = stackConfig("k8s");
const POD = (i: number) => `kafka-dev-kafka-${i}.kafka-dev-kafka-headless.kafka.svc.cluster.local`;

const run = (config: Record<string, string>) => runProgram(config, "k8s");

/** The Kubernetes objects of a graph (what would be applied), without providers. */
function manifests(resources: readonly Recorded[]): object[] {
    return resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs);
}

/** A node's settings as its pod exports them: its StatefulSet's command over its group's settings ConfigMap. */
function nodeEnv(resources: readonly Recorded[], node: string): Record<string, string> {
    const group = node.slice(0, node.lastIndexOf("-"));
    const cm = byType(resources, TYPES.configMap).get(`kafka-dev-${group}-settings`)!;
    const container = byType(resources, TYPES.statefulSet).get(`kafka-dev-${group}`)!.inputs.spec.template.spec.containers[0];
    return podEnv(container.command[2], cm.inputs.data, `kafka-dev-${group}-${Number(node.slice(group.length + 1)) - 1}`);
}

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
        assert.deepEqual(outputs, {
            bootstrapServers: [1, 2, 3].map((i) => `${POD(i - 1)}:29092`).join(","),
            internalBootstrapServers: [1, 2, 3].map((i) => `${POD(i - 1)}:29092`).join(","),
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
        // Ready = caught up: in the ISR of every partition it holds (see tests/kubernetes/rollout.test.ts).
        assert.match(c.readinessProbe.exec.command[2], /kafka-topics .*--describe --under-replicated-partitions/);
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

    it("points kafka-ui at the in-cluster listeners", () => {
        const ui = byType(resources, TYPES.deployment).get("kafka-dev-kafka-ui")!.inputs.spec.template.spec.containers[0];
        const env = Object.fromEntries(ui.env.map((e: { name: string; value: string }) => [e.name, e.value]));
        assert.equal(env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS, [0, 1, 2].map((i) => `${POD(i)}:29092`).join(","));
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

describe("Kubernetes variants", () => {
    it("KRaft, combined: one StatefulSet whose first three pods are the quorum", async () => {
        const { resources, outputs } = await run(
            withCluster(K8S, (c) => {
                c.mode = "kraft";
                delete c.zookeeper;
            }),
        );
        assert.deepEqual([...byType(resources, TYPES.statefulSet).keys()], ["kafka-dev-kafka"]);
        const voters = [0, 1, 2].map((i) => `${i + 1}@${POD(i)}:29093`).join(",");
        for (const i of [1, 2, 3]) {
            const env = nodeEnv(resources, `kafka-${i}`);
            assert.equal(env.KAFKA_NODE_ID, String(i));
            assert.equal(env.KAFKA_CONTROLLER_QUORUM_VOTERS, voters);
            assert.equal(env.KAFKA_PROCESS_ROLES, "broker,controller");
            assert.ok(env.CLUSTER_ID);
        }
        const ports = byType(resources, TYPES.service)
            .get("kafka-dev-kafka-headless")!
            .inputs.spec.ports.map((p: { name: string }) => p.name);
        assert.deepEqual(ports, ["internal", "controller"]);
        assert.equal(outputs.zookeeperConnect, undefined);
        assert.deepEqual(schemaErrors(manifests(resources)), []);
    });

    it("KRaft, dedicated controllers: a controller StatefulSet with its own headless Service", async () => {
        const { resources } = await run(
            withCluster(K8S, (c) => {
                c.mode = "kraft";
                delete c.zookeeper;
                c.kraft = { dedicatedControllers: true };
            }),
        );
        assert.deepEqual([...byType(resources, TYPES.statefulSet).keys()].sort(), ["kafka-dev-controller", "kafka-dev-kafka"]);
        const env = nodeEnv(resources, "controller-2");
        assert.equal(env.KAFKA_NODE_ID, "1002");
        assert.equal(
            env.KAFKA_CONTROLLER_QUORUM_VOTERS,
            [0, 1, 2].map((i) => `${1001 + i}@kafka-dev-controller-${i}.kafka-dev-controller-headless.kafka.svc.cluster.local:29093`).join(","),
        );
        const probe = byType(resources, TYPES.statefulSet).get("kafka-dev-controller")!.inputs.spec.template.spec.containers[0].readinessProbe;
        assert.match(probe.exec.command[2], /kafka-metadata-quorum/);
        // The controllers first, then the brokers (on creation, and in an upgrade's roll).
        const brokers = byType(resources, TYPES.statefulSet).get("kafka-dev-kafka")!;
        assert.ok(brokers.options!.dependsOn.some((u) => u.endsWith("WorkloadReady::kafka-dev-controller-ready")));
        assert.deepEqual(schemaErrors(manifests(resources)), []);
    });

    it("NodePort: one Service per broker, advertised at the node address", async () => {
        const config = { ...K8S, "kafka-env:kubernetes": JSON.stringify({ external: { type: "NodePort", advertisedHost: "10.1.2.3" }, topics: "provider" }) };
        const { resources, outputs } = await run(config);
        const services = [1, 2, 3].map((i) => byType(resources, TYPES.service).get(`kafka-dev-kafka-${i}-external`)!.inputs.spec);
        assert.deepEqual(
            services.map((s) => [s.type, s.selector["statefulset.kubernetes.io/pod-name"], s.ports[0].nodePort, s.ports[0].targetPort]),
            [
                ["NodePort", "kafka-dev-kafka-0", 30092, 9092],
                ["NodePort", "kafka-dev-kafka-1", 30093, 9092],
                ["NodePort", "kafka-dev-kafka-2", 30094, 9092],
            ],
        );
        assert.equal(nodeEnv(resources, "kafka-2").KAFKA_ADVERTISED_LISTENERS, `INTERNAL://${POD(1)}:29092,EXTERNAL://10.1.2.3:30093`);
        assert.equal(outputs.bootstrapServers, "10.1.2.3:30092,10.1.2.3:30093,10.1.2.3:30094");
        // topics: provider -> @pulumi/kafka over the external addresses, after the brokers are ready.
        const provider = [...byType(resources, TYPES.kafkaProvider).values()][0];
        assert.deepEqual(JSON.parse(provider.inputs.bootstrapServers), ["10.1.2.3:30092", "10.1.2.3:30093", "10.1.2.3:30094"]);
        // ... and after each external address answers from here (kube-proxy forwards a moment after Ready).
        const reachable = byType(resources, TYPES.reachable).get("kafka-dev-bootstrap-reachable")!;
        assert.deepEqual(reachable.inputs.addresses, ["10.1.2.3:30092", "10.1.2.3:30093", "10.1.2.3:30094"]);
        // Nothing from the brokers' spec: a setting change (a roll) does not add it to the preview.
        assert.deepEqual(Object.keys(reachable.inputs).sort(), ["__provider", "addresses", "timeoutSeconds"]);
        assert.ok(reachable.options!.dependsOn.some((u) => u.endsWith("WorkloadReady::kafka-dev-kafka-ready")));
        assert.ok(reachable.options!.dependsOn.some((u) => u.endsWith("Service::kafka-dev-kafka-2-external")));
        const topics = [...byType(resources, TYPES.topic).values()];
        assert.equal(topics.length, 3);
        for (const t of topics) {
            assert.ok(
                t.options!.dependsOn.some((u) => u.endsWith("WorkloadReady::kafka-dev-kafka-ready")),
                t.name,
            );
            assert.ok(
                t.options!.dependsOn.some((u) => u.endsWith("BootstrapReachable::kafka-dev-bootstrap-reachable")),
                t.name,
            );
        }
        assert.equal(byType(resources, TYPES.job).size, 0);
        assert.deepEqual(schemaErrors(manifests(resources)), []);
    });

    it("LoadBalancer: each broker advertises its own Service's address once it has one", async () => {
        const config = { ...K8S, "kafka-env:kubernetes": JSON.stringify({ external: { type: "LoadBalancer" } }) };
        const { resources, outputs } = await run(config);
        const advertised = [1, 2, 3].map((i) => nodeEnv(resources, `kafka-${i}`).KAFKA_ADVERTISED_LISTENERS.split(",")[1]);
        const addresses = advertised.map((a) => a.replace("EXTERNAL://", ""));
        assert.equal(new Set(addresses).size, 3);
        for (const a of addresses) assert.match(a, /^192\.0\.2\.\d+:9092$/);
        assert.equal(outputs.bootstrapServers, addresses.join(","));
        assert.doesNotMatch(JSON.stringify(byType(resources, TYPES.configMap).get("kafka-dev-kafka-settings")!.inputs), /__kafka_env_lb_/);
    });

    it("an existing namespace is used, not created", async () => {
        const config = { ...K8S, "kafka-env:kubernetes": JSON.stringify({ createNamespace: false }) };
        const { resources } = await run(config);
        assert.equal(byType(resources, TYPES.namespace).size, 0);
        assert.equal(byType(resources, TYPES.statefulSet).get("kafka-dev-kafka")!.inputs.metadata.namespace, "kafka");
    });

    it("renderDirectory makes the provider write manifests instead of applying them", async () => {
        const config = { ...K8S, "kafka-env:kubernetes": JSON.stringify({ renderDirectory: "rendered", kubeconfig: "/k", context: "ctx" }) };
        const { resources } = await run(config);
        const provider = [...byType(resources, TYPES.k8sProvider).values()][0];
        assert.equal(provider.inputs.renderYamlToDirectory, "rendered");
        assert.equal(provider.inputs.kubeconfig, "/k");
        assert.equal(provider.inputs.context, "ctx");
    });

    it("a kafka-ui login keeps its password in a Secret", async () => {
        const config = withCluster({ ...K8S, "kafka-env:kafkaUiPassword": "s3cret" }, (c) => (c.kafkaUi.username = "admin"));
        const { resources } = await run(config);
        const secret = byType(resources, TYPES.secret).get("kafka-dev-kafka-ui-login")!;
        // Mocks receive secrets wrapped: the value is there, marked secret.
        assert.deepEqual(secret.inputs.stringData, { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { password: "s3cret" } });
        const ui = byType(resources, TYPES.deployment).get("kafka-dev-kafka-ui")!.inputs.spec.template.spec.containers[0];
        assert.deepEqual(ui.env.find((e: { name: string }) => e.name === "SPRING_SECURITY_USER_PASSWORD").valueFrom, {
            secretKeyRef: { name: "kafka-dev-kafka-ui-login", key: "password" },
        });
        assert.doesNotMatch(JSON.stringify(ui), /s3cret/);
    });

    it("refuses Kubernetes settings with the cluster's problems, all at once", async () => {
        const config = withCluster(
            { ...K8S, "kafka-env:kubernetes": JSON.stringify({ external: { type: "NodePort" }, storage: { size: "ten" }, topcs: "job" }) },
            (c) => (c.brokers = 0),
        );
        await assert.rejects(run(config), (e: Error) => {
            assert.match(e.message, /kubernetes\.external\.advertisedHost: is required with type NodePort/);
            assert.match(e.message, /kubernetes\.storage\.size: is "ten"/);
            assert.match(e.message, /kubernetes\.topcs: unknown key; did you mean "topics"\?/);
            assert.match(e.message, /cluster\.brokers: is 0/);
            return true;
        });
    });

    it("refuses Kubernetes keys on the Docker target", async () => {
        await assert.rejects(run({ ...stackConfig("dev"), "kafka-env:namespace": "kafka" }), /namespace: applies to target "kubernetes"/);
    });
});

describe("the schema check itself", () => {
    it("fails a misspelled field", function () {
        this.timeout(60000);
        const errors = schemaErrors([
            { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "x" }, spec: { serviceName: "x", replica: 3, selector: {}, template: {} } },
        ]);
        assert.equal(errors.length, 1);
        assert.match(errors[0], /'replica' was unexpected/);
    });
});
