/**
 * Wall time from `pulumi up` to the first consumed message, next to the same containers started
 * by a plain script of `docker` commands on the same engine, and the ratio (target: within 1.2x).
 * Needs the engine and toolchain: run it as `npm run bench:e2e` (e2e/run.sh sets them up).
 *
 * Both paths start the ZooKeeper-mode e2e stack's nodes (Pulumi.e2e-zk.yaml) with the same
 * settings from the same model, wait for the same healthchecks (ZooKeeper first, then the
 * brokers), create the same topics, then produce one message with acks=all and consume it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { dockerAddressing } from "../components/docker/addressing";
import { HEALTHCHECK } from "../components/docker/node";
import { ClusterModel, NodeModel, planCluster } from "../components/model";
import { docker, inspect, waitFor } from "../e2e/lib/docker";
import { Admin } from "@platformatic/kafka";
import { consumeAll, produce } from "../e2e/lib/kafka";
import { PROJECT_DIR, PulumiStack } from "../e2e/lib/pulumi";

const STACK = "e2e-zk";
const RUNS = Number(process.env.BENCH_RUNS ?? 2);

function model(): ClusterModel {
    const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${STACK}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return planCluster({ cluster: doc.config["kafka-env:cluster"], stack: STACK, hasKafkaUiPassword: false }, dockerAddressing);
}

async function firstMessage(bootstrap: string): Promise<void> {
    await produce(bootstrap, "e2e-orders", 1);
    await consumeAll(bootstrap, "e2e-orders", 1, 120000);
}

async function viaPulumi(): Promise<number> {
    const stack = new PulumiStack(STACK);
    stack.init();
    stack.editCluster((c) => (c.protectTopics = false));
    const start = Date.now();
    stack.up();
    await firstMessage(stack.outputs().bootstrapServers);
    const seconds = (Date.now() - start) / 1000;
    stack.run(["destroy", "--yes", "--skip-preview"]);
    stack.remove();
    return seconds;
}

/** `docker run` arguments for a node: the same settings the Docker adapter gives its container. */
function runArgs(m: ClusterModel, node: NodeModel): string[] {
    const name = `${m.name}-${node.name}`;
    return [
        "run", "-d", "--name", name, "--hostname", node.name, "--network", m.name, "--network-alias", node.name,
        "--restart", "unless-stopped", "--label", `kafka-env.environment=${m.name}`,
        ...Object.entries(node.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
        ...node.published.flatMap((p) => ["-p", `${p.hostIp}:${p.hostPort}:${p.containerPort}`]),
        ...node.volumes.flatMap((v) => ["-v", `${name}-${v.name}:${v.path}`]),
        "--health-cmd", `bash -c '${node.healthcheck.replace(/'/g, `'\\''`)}'`,
        "--health-interval", HEALTHCHECK.interval, "--health-timeout", HEALTHCHECK.timeout,
        "--health-start-period", "60s", "--health-retries", String(HEALTHCHECK.retries),
        node.image,
    ];
}

async function viaDockerScript(): Promise<number> {
    const m = model();
    const healthy = (n: NodeModel) => inspect(`${m.name}-${n.name}`, "{{.State.Health.Status}}") === "healthy";
    const start = Date.now();
    docker(["network", "create", m.name]);
    for (const n of m.nodes) for (const v of n.volumes) docker(["volume", "create", `${m.name}-${n.name}-${v.name}`]);
    const zookeeper = m.nodes.filter((n) => n.roles.includes("zookeeper"));
    const brokers = m.nodes.filter((n) => !n.roles.includes("zookeeper"));
    for (const n of zookeeper) docker(runArgs(m, n));
    await waitFor("ZooKeeper healthy", () => zookeeper.every(healthy), 300);
    for (const n of brokers) docker(runArgs(m, n));
    await waitFor("brokers healthy", () => brokers.every(healthy), 300);
    const ui = m.kafkaUi!;
    const uiName = `${m.name}-${ui.name}`;
    docker([
        "run", "-d", "--name", uiName, "--hostname", ui.name, "--network", m.name, "--restart", "unless-stopped",
        ...Object.entries(ui.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
        "-p", `${ui.published.hostIp}:${ui.published.hostPort}:${ui.published.containerPort}`, ui.image,
    ]);
    const admin = new Admin({ clientId: "kafka-env-bench", bootstrapBrokers: [...m.bootstrapServers] });
    for (const t of m.topics) {
        await admin.createTopics({
            topics: [t.name],
            partitions: t.partitions,
            replicas: t.replicationFactor,
            configs: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        });
    }
    await admin.close();
    await firstMessage(m.bootstrapServers.join(","));
    const seconds = (Date.now() - start) / 1000;
    for (const c of [uiName, ...m.nodes.map((n) => `${m.name}-${n.name}`)]) docker(["rm", "-f", "-v", c], { allowFailure: true });
    for (const n of m.nodes) for (const v of n.volumes) docker(["volume", "rm", `${m.name}-${n.name}-${v.name}`], { allowFailure: true });
    docker(["network", "rm", m.name], { allowFailure: true });
    return seconds;
}

function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function main() {
    const pulumi: number[] = [];
    const script: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        // Alternate the order so neither path always runs on a warmer machine.
        if (i % 2 === 0) {
            pulumi.push(await viaPulumi());
            script.push(await viaDockerScript());
        } else {
            script.push(await viaDockerScript());
            pulumi.push(await viaPulumi());
        }
        console.log(`run ${i + 1}: pulumi up -> first message ${pulumi[i].toFixed(1)} s; docker script -> first message ${script[i].toFixed(1)} s`);
    }
    const ratio = median(pulumi) / median(script);
    console.log(`median over ${RUNS} runs: pulumi ${median(pulumi).toFixed(1)} s, docker script ${median(script).toFixed(1)} s, ratio ${ratio.toFixed(2)}x (target 1.2x: ${ratio <= 1.2 ? "met" : "NOT met"})`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
