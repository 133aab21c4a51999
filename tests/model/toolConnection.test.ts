/** The one seam for kafka-env's own tool calls: today's strings while security is off, certificates when it is on. */
import { strict as assert } from "node:assert";
import { dockerAddressing } from "../../components/docker/addressing";
import { kubernetesAddressing } from "../../components/kubernetes/addressing";
import { resolveKubernetes } from "../../components/kubernetes/config";
import { ClusterModel, NodeModel, buildModel, isBroker, resolveConfig } from "../../components/model";
import { adminArgs } from "../../components/model/admin";
import { controllerHealthcheck, kafkaCheckTool, readinessCommand } from "../../components/model/images";
import { ToolSite, toolConnection } from "../../components/model/toolConnection";

const CLUSTER = { name: "env", brokers: 4, kraft: { controllers: 3 } };
const DEDICATED = { name: "env", brokers: 2, kraft: { controllers: 1, dedicatedControllers: true } };

function model(cluster: object, security: object = {}, target: "docker" | "kubernetes" = "docker"): ClusterModel {
    const config = resolveConfig({ cluster: { ...cluster, security }, stack: "s", hasKafkaUiPassword: false });
    const addressing = target === "docker" ? dockerAddressing(config) : kubernetesAddressing(config, resolveKubernetes("ns", {}, config.brokers).config);
    return buildModel(config, addressing);
}

const node = (m: ClusterModel, name: string): NodeModel => m.nodes.find((n) => n.name === name)!;
const brokers = (m: ClusterModel) => m.nodes.filter(isBroker);

/** [site, tool, options with security off, options with TLS on]. */
const CASES: [string, (m: ClusterModel) => ToolSite, string, string, string][] = [
    [
        "inside a broker (roll gates, Docker day-2 steps, readiness)",
        (m) => ({ inside: node(m, "kafka-4") }),
        "kafka-topics",
        "--bootstrap-server localhost:29092",
        "--bootstrap-server localhost:29094 --command-config /etc/kafka/secrets/client.properties",
    ],
    [
        "inside a broker, kafka-cluster's own option name",
        (m) => ({ inside: node(m, "kafka-1") }),
        "kafka-cluster",
        "--bootstrap-server localhost:29092",
        "--bootstrap-server localhost:29094 --config /etc/kafka/secrets/client.properties",
    ],
    [
        "inside a broker and controller, to its quorum",
        (m) => ({ inside: node(m, "kafka-1"), quorum: true }),
        "kafka-metadata-quorum",
        "--bootstrap-controller localhost:29093",
        "--bootstrap-controller localhost:29093 --command-config /etc/kafka/secrets/client.properties",
    ],
    [
        "a tools Job (Kubernetes day-2 steps, topics and access Jobs)",
        (m) => ({ job: brokers(m).slice(0, 3) }),
        "kafka-topics",
        "--bootstrap-server kafka-1:29092,kafka-2:29092,kafka-3:29092",
        "--bootstrap-server kafka-1:29094,kafka-2:29094,kafka-3:29094 --command-config /etc/kafka/secrets/tools.properties",
    ],
];

describe("toolConnection: where kafka-env's tools connect, and as whom", () => {
    for (const [rule, site, tool, off, on] of CASES) {
        it(rule, () => {
            assert.equal(adminArgs(toolConnection(site(model(CLUSTER))), tool), off);
            assert.equal(adminArgs(toolConnection(site(model(CLUSTER, { tls: true }))), tool), on);
            assert.equal(
                adminArgs(toolConnection(site(model(CLUSTER, { authentication: "scram-sha-256" }))), tool),
                on,
                "the cluster's own listeners use certificates whatever clients use",
            );
        });
    }

    it("asks a dedicated controller about its quorum, with its certificate when secured", () => {
        assert.deepEqual(toolConnection({ inside: node(model(DEDICATED), "controller-1") }), {
            bootstrap: "localhost:29093",
            bootstrapOption: "--bootstrap-controller",
        });
        assert.deepEqual(toolConnection({ inside: node(model(DEDICATED, { tls: true }), "controller-1") }), {
            bootstrap: "localhost:29093",
            bootstrapOption: "--bootstrap-controller",
            commandConfig: "/etc/kafka/secrets/client.properties",
        });
    });

    it("leaves the controllers' health check as it was while security is off", () => {
        const before = `${kafkaCheckTool("kafka-metadata-quorum", "--bootstrap-controller localhost:29093 describe --status")} > /dev/null`;
        assert.equal(node(model(DEDICATED), "controller-1").healthcheck, before);
        assert.equal(controllerHealthcheck(toolConnection({ inside: node(model(DEDICATED), "controller-1") })), before);
    });

    it("asks for the readiness probe without a JVM: INTERNAL while off, the loopback's PROBE (PLAINTEXT) when on", () => {
        for (const [security, port] of [
            [undefined, 29092],
            [{ tls: true }, 29095],
        ] as const) {
            const probe = readinessCommand(node(model(CLUSTER, security), "kafka-4"));
            assert.match(probe, new RegExp(`^exec 3<>/dev/tcp/127\\.0\\.0\\.1/${port} \\|\\| exit 1$`, "m"));
            assert.doesNotMatch(probe, /kafka-topics|--bootstrap-server/);
        }
    });

    it("bootstraps a Job from the pods' own names on Kubernetes", () => {
        const k8s = model({ name: "env", brokers: 1 }, { tls: true }, "kubernetes");
        assert.deepEqual(toolConnection({ job: brokers(k8s) }), {
            bootstrap: "env-kafka-0.env-kafka-headless.ns.svc.cluster.local:29094",
            commandConfig: "/etc/kafka/secrets/tools.properties",
        });
    });
});
