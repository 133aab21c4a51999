/**
 * `cluster.metrics` on both targets, under mocks: the agent's jar (a stand-in file here) reaches
 * every node (Kubernetes: ConfigMaps of at most 900 KiB and a projected volume; Docker: an upload),
 * is loaded by the node's own JVM only, serves a `metrics` port; the monitor when asked; the
 * rules and the Grafana dashboard agree on the metric names.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ruleNames } from "../../components/model/metricsRules";
import { Recorded, runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";

const JAR = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-agent-")), "agent.jar");
const withMetrics = (stack: string, k: object = {}) => {
    const config = withCluster(stackConfig(stack), (c) => (c.metrics = { enabled: true, agentJar: JAR, hostPort: 19404 }));
    return stack === "k8s" ? { ...config, "kafka-env:kubernetes": JSON.stringify({ ...JSON.parse(config["kafka-env:kubernetes"]), ...k }) } : config;
};
const AGENT =
    /export KAFKA_OPTS="\$\{KAFKA_OPTS:\+\$KAFKA_OPTS \}-javaagent:\/kafka-env\/metrics\/jmx_prometheus_javaagent\.jar=9404:\/kafka-env\/metrics\/(kafka|zookeeper)\.yaml"/;

describe("metrics on Kubernetes", () => {
    let rs: Recorded[];
    before(async () => {
        fs.writeFileSync(JAR, Buffer.alloc(2 * 1024 * 1024, 7));
        rs = (await runProgram(withMetrics("k8s", { monitoring: { monitor: "PodMonitor", labels: { release: "prometheus" } } }), "k8s")).resources;
    });
    after(() => fs.rmSync(path.dirname(JAR), { recursive: true, force: true }));

    it("the jar in immutable ConfigMaps of at most 900 KiB, joined by the launcher, which loads the agent just before the image's run script", () => {
        const parts = [...byType(rs, TYPES.configMap).values()].filter((r) => r.name.startsWith("kafka-dev-metrics-agent-"));
        assert.equal(parts.length, 3);
        let bytes = 0;
        for (const p of parts) {
            assert.equal(p.inputs.immutable, true);
            const [data] = Object.values(p.inputs.binaryData as Record<string, string>);
            assert.ok(Buffer.from(data, "base64").length <= 900 * 1024);
            bytes += Buffer.from(data, "base64").length;
        }
        assert.equal(bytes, 2 * 1024 * 1024);
        for (const group of ["kafka", "zookeeper"]) {
            const spec = byType(rs, TYPES.statefulSet).get(`kafka-dev-${group}`)!.inputs.spec.template.spec;
            const c = spec.containers[0];
            const command = c.command[2] as string;
            assert.match(command, /cat '\/etc\/kafka-env-metrics'\/part-\* > \/kafka-env\/metrics\/jmx_prometheus_javaagent\.jar/);
            assert.equal(AGENT.exec(command)?.[1], group === "zookeeper" ? "zookeeper" : "kafka");
            assert.ok(command.indexOf("KAFKA_OPTS") < command.indexOf("for run in"), "before the image's launcher");
            assert.ok(
                !(c.env ?? []).some((e: { name: string }) => e.name === "KAFKA_OPTS"),
                "not in the container's environment: kubectl exec tools do not load it",
            );
            assert.deepEqual(c.ports.at(-1), { name: "metrics", containerPort: 9404 });
            assert.equal(spec.volumes.find((v: any) => v.name === "metrics").projected.sources.length, 4);
        }
    });

    it("a PodMonitor for the nodes' metrics port, with its labels", () => {
        const monitor = byType(rs, "kubernetes:monitoring.coreos.com/v1:PodMonitor").get("kafka-dev-metrics")!.inputs;
        assert.deepEqual(monitor.spec.podMetricsEndpoints, [{ port: "metrics", path: "/metrics", interval: "30s" }]);
        assert.equal(monitor.metadata.labels.release, "prometheus");
        assert.deepEqual(monitor.spec.selector.matchExpressions[1].values, ["zookeeper", "kafka"]);
    });
});

describe("metrics on Docker", () => {
    let rs: Recorded[];
    before(async () => {
        fs.mkdirSync(path.dirname(JAR), { recursive: true });
        fs.writeFileSync(JAR, Buffer.alloc(1024, 7));
        rs = (await runProgram(withMetrics("dev"), "dev")).resources;
    });

    it("uploads the jar and the rules, loads the agent in the node's JVM only, publishes node N's /metrics on hostPort + N - 1", () => {
        const containers = [...byType(rs, TYPES.container).values()].filter((r) => !r.name.endsWith("kafka-ui"));
        assert.equal(containers.length, 4);
        containers.forEach((r, i) => {
            const c = r.inputs;
            assert.match(c.command[2], AGENT);
            assert.ok(!c.envs.some((e: string) => e.startsWith("KAFKA_OPTS=")), "docker exec tools do not load the agent");
            assert.deepEqual(
                c.uploads.map((u: any) => u.file),
                ["/kafka-env/metrics/jmx_prometheus_javaagent.jar", `/kafka-env/metrics/${i === 0 ? "zookeeper" : "kafka"}.yaml`],
            );
            assert.equal(c.uploads[0].source, JAR);
            assert.ok(c.ports.some((p: any) => p.internal === 9404 && p.external === 19404 + i && p.ip === "127.0.0.1"));
        });
    });
});

describe("the rules and the Grafana dashboard", () => {
    it("every metric the dashboard charts is one the rules (or the agent's JVM collectors) produce", () => {
        const dashboard = fs.readFileSync(path.join(__dirname, "../../docs/grafana/kafka-env.json"), "utf8");
        const exprs = [...dashboard.matchAll(/"expr": "([^"]+)"/g)].map((m) => m[1]);
        assert.ok(exprs.length >= 10, `${exprs.length} panels`);
        const names = new Set(exprs.flatMap((e) => [...e.matchAll(/\b(kafka_[a-z0-9_]+|zookeeper_[a-z0-9_]+|jvm_[a-z0-9_]+)/g)].map((m) => m[1])));
        const known = [...ruleNames("kafka"), ...ruleNames("zookeeper"), /^jvm_/];
        for (const name of names)
            assert.ok(
                known.some((r) => r.test(name)),
                `${name} is produced by no rule`,
            );
        assert.ok(names.has("kafka_server_replicamanager_underreplicatedpartitions"));
    });
});
