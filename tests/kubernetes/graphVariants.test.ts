/** The k8s stack's resource graph with other settings: KRaft, external access, namespace, rendering, a login, refusals. */
import { strict as assert } from "node:assert";
import { stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { schemaErrors } from "./schema";
import { K8S, POD, manifests, nodeEnv, run } from "./stackGraph";

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
