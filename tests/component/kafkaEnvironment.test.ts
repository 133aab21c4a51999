/**
 * `KafkaEnvironment` as a program of its own uses it: under mocks, what it registers and where (its
 * components under it, aliased to the stack's top for the stacks deployed before it), how its
 * argument mistakes read, and the inputs it passes through.
 */
import { strict as assert } from "node:assert";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KafkaEnvironment } from "../../components/kafkaEnvironment";
import { deployEnvironment } from "../../components/stackConfig";
import { ConfigError } from "../../components/model";
import { promiseOf, runMocked, stackConfig } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";

describe("KafkaEnvironment (components/kafkaEnvironment.ts)", () => {
    it("builds the Docker cluster and its topics under itself, named after the component", async () => {
        const { result, resources } = await runMocked(
            {},
            () => new KafkaEnvironment("orders", { cluster: { brokers: 1, topics: [{ name: "t", partitions: 1 }] } }),
        );
        const parts = result.components();
        assert.match(await promiseOf(parts.cluster.urn), /::kafka-env:index:KafkaEnvironment\$kafka-env:docker:KafkaCluster::orders$/);
        assert.match(await promiseOf(parts.topics!.urn), /::kafka-env:index:KafkaEnvironment\$kafka-env:kafka:Topics::orders-topics$/);
        assert.ok(byType(resources, TYPES.container).has("orders-kafka-1"), [...byType(resources, TYPES.container).keys()].join(", "));
        assert.equal(await promiseOf(result.bootstrapServers), "localhost:9092");
        assert.equal(await promiseOf(result.caCertificate), undefined);
    });

    it("gives the repository's program the names it had: cluster.name, else kafka-env-<stack>", async () => {
        const dev = await runMocked(stackConfig("dev"), deployEnvironment, { stack: "dev" });
        assert.match(await promiseOf(dev.result.components.cluster.urn), /::kafka-env:index:KafkaEnvironment\$kafka-env:docker:KafkaCluster::kafka-dev$/);
        const qa = await runMocked({}, deployEnvironment, { stack: "qa" });
        assert.match(await promiseOf(qa.result.components.cluster.urn), /::kafka-env:index:KafkaEnvironment\$kafka-env:docker:KafkaCluster::kafka-env-qa$/);
    });

    it("reports every mistake at once in the arguments' own names, before anything registers", async () => {
        let thrown: unknown;
        const { resources } = await runMocked({}, () => {
            try {
                return new KafkaEnvironment("orders", { cluster: { brokers: 0 }, namespace: "kafka", caKey: "key" });
            } catch (e) {
                thrown = e;
                return undefined;
            }
        });
        assert.ok(thrown instanceof ConfigError, String(thrown));
        assert.match(thrown.message, /^KafkaEnvironment "orders" has 3 problems:/);
        const paths = thrown.problems.map((p) => p.path).sort();
        assert.deepEqual(paths, ["caCertificate", "cluster.brokers", "namespace"]);
        assert.doesNotMatch(thrown.message, /kafka-env:|pulumi config/);
        assert.deepEqual(resources, []);
    });

    it("passes a kubeconfig, a context and a StorageClass given as outputs through to the provider and the claims", async () => {
        const kubeconfig = pulumi.secret("apiVersion: v1\nkind: Config\n");
        const args = {
            target: "kubernetes" as const,
            cluster: { brokers: 1, kafkaUi: { enabled: false } },
            kubernetes: {
                kubeconfig,
                context: pulumi.output("kind-kafka"),
                storage: { storageClass: pulumi.output("fast") },
                renderDirectory: "/tmp/kafka-env-render",
            },
        };
        const { resources } = await runMocked({}, () => new KafkaEnvironment("k", args));
        const provider = [...byType(resources, TYPES.k8sProvider).values()][0];
        assert.equal(provider.inputs.context, "kind-kafka");
        assert.match(JSON.stringify(provider.inputs.kubeconfig), /kind: Config/);
        const set = byType(resources, TYPES.statefulSet).get("k-kafka")!;
        assert.equal(set.inputs.spec.volumeClaimTemplates[0].spec.storageClassName, "fast");
    });

    it("uses the Kubernetes and Docker providers passed in opts.providers instead of building its own", async () => {
        const k8sRun = await runMocked({}, () => {
            const mine = new k8s.Provider("mine", { context: "their-cluster" });
            const args = {
                target: "kubernetes" as const,
                cluster: { brokers: 1, kafkaUi: { enabled: false } },
                kubernetes: { renderDirectory: "/tmp/kafka-env-render" },
            };
            return new KafkaEnvironment("k", args, { providers: [mine] });
        });
        assert.deepEqual([...byType(k8sRun.resources, TYPES.k8sProvider).keys()], ["mine"]);
        const kube = k8sRun.resources.filter((r) => r.type.startsWith("kubernetes:"));
        assert.ok(kube.length > 5);
        assert.deepEqual(
            kube.filter((r) => !r.provider?.includes("::mine::")).map((r) => r.name),
            [],
        );

        const dockerRun = await runMocked({}, () => {
            const engine = new docker.Provider("my-docker", { host: "unix:///run/podman/podman.sock" });
            return new KafkaEnvironment("d", { cluster: { brokers: 1 } }, { providers: [engine] });
        });
        const containers = [...byType(dockerRun.resources, TYPES.container).values()];
        assert.ok(containers.length > 0);
        assert.deepEqual(
            containers.filter((r) => !r.provider?.includes("::my-docker::")).map((r) => r.name),
            [],
        );
    });
});
