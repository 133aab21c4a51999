/**
 * Start-up benchmarks on the real engine, measured side by side in one run, alternating which
 * side goes first, every run's figure printed, then medians and ratios:
 *
 * 1. `pulumi up` -> first consumed message, against the same containers started by a plain
 *    script of `docker` commands, in both modes (the e2e stacks Pulumi.e2e-zk.yaml and
 *    Pulumi.e2e-kraft.yaml). Target: within 1.10x.
 *    Beside it, the floor of each `pulumi up`: for each node, container start -> the node's first
 *    "ready" log line, summed along the slowest chain (ZooKeeper, then the brokers); printed with
 *    how far the whole `pulumi up` is above it.
 * 2. `pulumi preview` with no changes of the dev-like stack (e2e-zk, deployed), against `pulumi
 *    preview` of an empty Pulumi TypeScript program (the engine's floor). Target: within 1.5x.
 *
 * Both start-up paths use the same model: the same settings, healthchecks and dependencies
 * (ZooKeeper healthy before the brokers start), the same topics (created in parallel once the
 * brokers are healthy, with kafka-ui), then one message produced with acks=all and consumed.
 * Needs the engine and toolchain: run it as `npm run bench:e2e` (e2e/run.sh sets them up).
 * BENCH_RUNS (default 5), BENCH_STACKS (default "e2e-zk,e2e-kraft"), BENCH_PREVIEW=0 to skip 2.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { Admin } from "@platformatic/kafka";
import { dockerAddressing } from "../components/docker/addressing";
import { HEALTHCHECK } from "../components/docker/node";
import { ClusterModel, NodeModel, planCluster } from "../components/model";
import { docker, inspect, waitFor } from "../e2e/lib/docker";
import { consumeAll, produce } from "../e2e/lib/kafka";
import { PROJECT_DIR, PulumiStack } from "../e2e/lib/pulumi";
import { floorSeconds, median, nodeTimes } from "./timeline";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STACKS = (process.env.BENCH_STACKS ?? "e2e-zk,e2e-kraft").split(",");
const UP_TARGET = 1.1;
const PREVIEW_TARGET = 1.5;

function model(stack: string): ClusterModel {
    const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return planCluster({ cluster: doc.config["kafka-env:cluster"], stack, hasKafkaUiPassword: false }, dockerAddressing);
}

async function firstMessage(m: ClusterModel): Promise<void> {
    const bootstrap = m.bootstrapServers.join(",");
    await produce(bootstrap, m.topics[0].name, 1);
    await consumeAll(bootstrap, m.topics[0].name, 1, 120000);
}

interface UpRun {
    readonly seconds: number;
    /** When `pulumi up` exited (s from its start). */
    readonly exited: number;
    /** The slowest chain of container start -> ready log line (s). */
    readonly floor: number;
    /** Each node's container start / ready log line / first passing healthcheck, s from the start: a slow run shows where. */
    readonly nodes: string;
}

async function viaPulumi(stackName: string): Promise<UpRun> {
    const m = model(stackName);
    const stack = new PulumiStack(stackName);
    stack.init();
    stack.editCluster((c) => (c.protectTopics = false));
    const start = Date.now();
    stack.up();
    const exited = (Date.now() - start) / 1000;
    await firstMessage(m);
    const seconds = (Date.now() - start) / 1000;
    const times = m.nodes.map((node) => ({ node, times: nodeTimes(`${m.name}-${node.name}`, node) }));
    const at = (t: number | undefined) => (t === undefined ? "-" : ((t - start) / 1000).toFixed(1));
    const nodes = times.map(({ node, times: t }) => `${node.name} ${at(t.started)}/${at(t.ready)}/${at(t.healthy)}`).join(", ");
    stack.run(["destroy", "--yes", "--skip-preview"]);
    stack.remove();
    return { seconds, exited, floor: floorSeconds(times), nodes };
}

/** `docker run` arguments for a node: the same settings the Docker adapter gives its container. */
function runArgs(m: ClusterModel, node: NodeModel): string[] {
    const name = `${m.name}-${node.name}`;
    return [
        "run",
        "-d",
        "--name",
        name,
        "--hostname",
        node.name,
        "--network",
        m.name,
        "--network-alias",
        node.name,
        "--restart",
        "unless-stopped",
        "--label",
        `kafka-env.environment=${m.name}`,
        ...Object.entries(node.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
        ...node.published.flatMap((p) => ["-p", `${p.hostIp}:${p.hostPort}:${p.containerPort}`]),
        ...node.volumes.flatMap((v) => ["-v", `${name}-${v.name}:${v.path}`]),
        "--health-cmd",
        `bash -c '${node.healthcheck.replace(/'/g, `'\\''`)}'`,
        "--health-interval",
        HEALTHCHECK.interval,
        "--health-timeout",
        HEALTHCHECK.timeout,
        "--health-start-period",
        "60s",
        "--health-retries",
        String(HEALTHCHECK.retries),
        node.image,
    ];
}

async function viaDockerScript(stackName: string): Promise<number> {
    const m = model(stackName);
    const healthy = (n: NodeModel) => inspect(`${m.name}-${n.name}`, "{{.State.Health.Status}}") === "healthy";
    const start = Date.now();
    docker(["network", "create", m.name]);
    for (const n of m.nodes) for (const v of n.volumes) docker(["volume", "create", `${m.name}-${n.name}-${v.name}`]);
    const zookeeper = m.nodes.filter((n) => n.roles.includes("zookeeper"));
    const kafka = m.nodes.filter((n) => !n.roles.includes("zookeeper"));
    if (zookeeper.length > 0) {
        for (const n of zookeeper) docker(runArgs(m, n));
        await waitFor("ZooKeeper healthy", () => zookeeper.every(healthy), 300);
    }
    for (const n of kafka) docker(runArgs(m, n));
    await waitFor("Kafka nodes healthy", () => kafka.every(healthy), 300);
    const ui = m.kafkaUi!;
    const uiName = `${m.name}-${ui.name}`;
    docker([
        "run",
        "-d",
        "--name",
        uiName,
        "--hostname",
        ui.name,
        "--network",
        m.name,
        "--restart",
        "unless-stopped",
        ...Object.entries(ui.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
        "-p",
        `${ui.published.hostIp}:${ui.published.hostPort}:${ui.published.containerPort}`,
        ui.image,
    ]);
    // A broker answers (healthy) before the controller knows every broker: until then a topic
    // with 3 replicas is refused. Retry each topic, as the Kafka provider does, for up to 120 s.
    const admin = new Admin({ clientId: "kafka-env-bench", bootstrapBrokers: [...m.bootstrapServers] });
    const createTopic = async (t: (typeof m.topics)[number]) => {
        const deadline = Date.now() + 120000;
        for (;;) {
            try {
                await admin.createTopics({
                    topics: [t.name],
                    partitions: t.partitions,
                    replicas: t.replicationFactor,
                    configs: Object.entries(t.config).map(([name, value]) => ({ name, value })),
                });
                return;
            } catch (e) {
                if ((await admin.listTopics().catch(() => [] as string[])).includes(t.name)) return;
                if (Date.now() > deadline) throw e;
                await new Promise((r) => setTimeout(r, 250));
            }
        }
    };
    await Promise.all(m.topics.map(createTopic));
    await admin.close();
    await firstMessage(m);
    const seconds = (Date.now() - start) / 1000;
    for (const c of [uiName, ...m.nodes.map((n) => `${m.name}-${n.name}`)]) docker(["rm", "-f", "-v", c], { allowFailure: true });
    for (const n of m.nodes) for (const v of n.volumes) docker(["volume", "rm", `${m.name}-${n.name}-${v.name}`], { allowFailure: true });
    docker(["network", "rm", m.name], { allowFailure: true });
    return seconds;
}

/** Runs `a` and `b` RUNS times each, alternating which goes first; prints every run. */
async function sideBySide<A, B>(label: string, a: () => Promise<A>, b: () => Promise<B>, show: (i: number, a: A, b: B) => string): Promise<[A[], B[]]> {
    const as: A[] = [];
    const bs: B[] = [];
    for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) {
            as.push(await a());
            bs.push(await b());
        } else {
            bs.push(await b());
            as.push(await a());
        }
        console.log(`${label} run ${i + 1}${i % 2 === 0 ? "" : " (reversed order)"}: ${show(i, as[i], bs[i])}`);
    }
    return [as, bs];
}

const verdict = (ratio: number, target: number) => `${ratio.toFixed(2)}x (target ${target.toFixed(2)}x: ${ratio <= target ? "met" : "NOT met"})`;

async function startup(stackName: string): Promise<void> {
    const [ups, scripts] = await sideBySide(
        `[${stackName}]`,
        () => viaPulumi(stackName),
        () => viaDockerScript(stackName),
        (_, u, s) =>
            `pulumi up -> first message ${u.seconds.toFixed(1)} s; docker script ${s.toFixed(1)} s; ratio ${(u.seconds / s).toFixed(2)}; ` +
            `floor ${u.floor.toFixed(1)} s, pulumi up ${(u.seconds - u.floor).toFixed(1)} s above it; ` +
            `pulumi up exited at ${u.exited.toFixed(1)} s; started/ready/healthy at ${u.nodes}`,
    );
    const up = median(ups.map((u) => u.seconds));
    const script = median(scripts);
    const floor = median(ups.map((u) => u.floor));
    console.log(
        `[${stackName}] median of ${RUNS}: pulumi up ${up.toFixed(1)} s, docker script ${script.toFixed(1)} s, ratio ${verdict(up / script, UP_TARGET)}; ` +
            `floor ${floor.toFixed(1)} s: pulumi up ${(up - floor).toFixed(1)} s (${(up / floor).toFixed(2)}x) above it, the script ${(script - floor).toFixed(1)} s (${(script / floor).toFixed(2)}x)`,
    );
}

/** An empty Pulumi TypeScript program, set up like this one (same runtime, tsconfig, packages), deployed once. */
function emptyProgram(): { preview: () => number; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-empty-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: empty\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "empty", main: "index.ts" }));
    fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
    const tsconfig = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "tsconfig.json"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ ...tsconfig, include: ["index.ts"] }));
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
    const env = {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${dir}/.state`,
        PULUMI_CONFIG_PASSPHRASE: "empty",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    fs.mkdirSync(path.join(dir, ".state"));
    const pulumi = (args: string[]) => {
        const start = process.hrtime.bigint();
        const r = spawnSync("pulumi", [...args, "--stack", "empty", "--non-interactive"], { cwd: dir, env, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")} (empty program) failed: ${r.stdout}\n${r.stderr}`);
        return Number(process.hrtime.bigint() - start) / 1e9;
    };
    pulumi(["stack", "init"]);
    pulumi(["up", "--yes", "--skip-preview"]);
    return { preview: () => pulumi(["preview"]), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function previews(): Promise<void> {
    const stack = new PulumiStack("e2e-zk");
    stack.init();
    stack.editCluster((c) => (c.protectTopics = false));
    stack.up();
    const empty = emptyProgram();
    const [ours, floor] = await sideBySide(
        "[preview]",
        () => Promise.resolve(stack.run(["preview", "--expect-no-changes"]).seconds),
        () => Promise.resolve(empty.preview()),
        (_, a, b) => `dev-like stack (no changes) ${a.toFixed(2)} s; empty program ${b.toFixed(2)} s; ratio ${(a / b).toFixed(2)}`,
    );
    console.log(
        `[preview] median of ${RUNS}: dev-like stack ${median(ours).toFixed(2)} s, empty program ${median(floor).toFixed(2)} s, ratio ${verdict(median(ours) / median(floor), PREVIEW_TARGET)}`,
    );
    empty.remove();
    stack.run(["destroy", "--yes", "--skip-preview"]);
    stack.remove();
}

async function main() {
    // The previews first: the shortest part, so a run cut short still has it.
    if (process.env.BENCH_PREVIEW !== "0") await previews();
    for (const s of STACKS) await startup(s);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
