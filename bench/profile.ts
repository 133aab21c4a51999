/**
 * The critical path of one `pulumi up` of the dev-like e2e stack (Pulumi.e2e-zk.yaml, or the stack
 * in BENCH_STACK), as a timeline from the moment `pulumi up` is started: each engine event as it
 * is written to `--event-log` (engine start, program registrations, each resource's create),
 * each node's container start, first "ready" log line and first passing healthcheck, then the
 * first message consumed. The Node.js program runs with `--cpu-prof`; its busy time is split by
 * where it was spent. `--tracing` writes the engine's own trace next to it (kept, path printed).
 * Needs the engine and toolchain: `e2e/run.sh profile` sets them up.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { dockerAddressing } from "../components/docker/addressing";
import { ClusterModel, planCluster } from "../components/model";
import { consumeAll, produce } from "../e2e/lib/kafka";
import { PROJECT_DIR, PulumiStack } from "../e2e/lib/pulumi";
import { floorSeconds, nodeTimes } from "./timeline";

const STACK = process.env.BENCH_STACK ?? "e2e-zk";

function model(): ClusterModel {
    const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${STACK}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return planCluster({ cluster: doc.config["kafka-env:cluster"], stack: STACK, hasKafkaUiPassword: false }, dockerAddressing);
}

interface EngineEvent {
    readonly at: number;
    readonly kind: string;
    readonly op?: string;
    readonly urn?: string;
}

/** Follows the event log while it is written: each event gets the time it appeared. */
function follow(file: string, t0: number): { stop: () => EngineEvent[] } {
    const events: EngineEvent[] = [];
    let offset = 0;
    let rest = "";
    const read = () => {
        if (!fs.existsSync(file)) return;
        const buf = fs.readFileSync(file);
        if (buf.length <= offset) return;
        const text = rest + buf.subarray(offset).toString("utf8");
        offset = buf.length;
        const lines = text.split("\n");
        rest = lines.pop() ?? "";
        for (const l of lines.filter(Boolean)) {
            const e = JSON.parse(l) as Record<string, any>;
            const kind = Object.keys(e).find((k) => k.endsWith("Event") || k === "prelude") ?? "?";
            const meta = e[kind]?.metadata as { op?: string; urn?: string } | undefined;
            events.push({ at: Date.now() - t0, kind, op: meta?.op, urn: meta?.urn });
        }
    };
    const timer = setInterval(read, 50);
    return {
        stop: () => {
            clearInterval(timer);
            read();
            return events;
        },
    };
}

/** Busy time of a `--cpu-prof` profile, by where it was spent (ms). */
function profileBuckets(dir: string): Record<string, number> {
    // The program's process is the one with the largest profile (short-lived helpers write small ones).
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    const file = files.sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size)[0];
    if (!file) return {};
    const p = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as {
        nodes: { id: number; hitCount: number; callFrame: { functionName: string; url: string } }[];
        startTime: number;
        endTime: number;
        samples: number[];
    };
    const perSample = (p.endTime - p.startTime) / 1000 / p.samples.length;
    const bucket = (url: string, fn: string): string => {
        if (fn === "(idle)") return "idle (waiting for the engine)";
        if (fn === "(garbage collector)") return "garbage collection";
        if (fn === "(program)") return "V8 (compile, other)";
        if (url.includes("/node_modules/typescript/")) return "TypeScript (transpile)";
        if (url.includes("/node_modules/ts-node/")) return "ts-node";
        const m = /\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(url);
        if (m) return m[1];
        if (url.startsWith("node:") || url === "") return "Node.js internals";
        return "this project's code";
    };
    const out: Record<string, number> = {};
    for (const n of p.nodes) {
        const b = bucket(n.callFrame.url, n.callFrame.functionName);
        out[b] = (out[b] ?? 0) + n.hitCount * perSample;
    }
    out["total (profile length)"] = (p.endTime - p.startTime) / 1000;
    return out;
}

const short = (urn: string) => urn.split("::").slice(-1)[0];
const fmt = (ms: number) => (ms / 1000).toFixed(2).padStart(7);

async function main() {
    const m = model();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-profile-"));
    const stack = new PulumiStack(STACK);
    stack.init();
    stack.editCluster((c) => (c.protectTopics = false));
    const eventLog = path.join(dir, "events.jsonl");
    const cpuDir = path.join(dir, "cpu");
    // Only the program's Node.js process is started after this (the CLI and plugins are Go).
    process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${cpuDir}`;
    process.env.PULUMI_DEBUG_COMMANDS = "true"; // enables `--event-log`
    const t0 = Date.now();
    const follower = follow(eventLog, t0);
    await stack.runAsync(["up", "--yes", "--skip-preview", "--event-log", eventLog, "--tracing", `file:${path.join(dir, "up.trace")}`]);
    const upDone = Date.now() - t0;
    delete process.env.NODE_OPTIONS;
    delete process.env.PULUMI_DEBUG_COMMANDS;
    const events = follower.stop();
    const bootstrap = m.bootstrapServers.join(",");
    await produce(bootstrap, m.topics[0].name, 1);
    await consumeAll(bootstrap, m.topics[0].name, 1, 120000);
    const firstMessage = Date.now() - t0;

    const rows: [number, string][] = [];
    for (const e of events) {
        if (e.kind === "resourcePreEvent") rows.push([e.at, `begin ${e.op} ${short(e.urn!)}`]);
        else if (e.kind === "resOutputsEvent") rows.push([e.at, `done  ${e.op} ${short(e.urn!)}`]);
        else if (e.kind === "prelude" || e.kind === "summaryEvent") rows.push([e.at, e.kind]);
    }
    const nodes = m.nodes.map((node) => ({ node, times: nodeTimes(`${m.name}-${node.name}`, node) }));
    for (const { node, times } of nodes) {
        rows.push([times.started - t0, `${node.name}: container started`]);
        if (times.ready) rows.push([times.ready - t0, `${node.name}: ready (first ready log line)`]);
        // The engine keeps only the last few check results: an early pass may be gone by now.
        if (times.healthy) rows.push([times.healthy - t0, `${node.name}: earliest passing healthcheck still in the engine's log`]);
    }
    rows.push([upDone, "pulumi up exited"], [firstMessage, "first message consumed"]);
    rows.sort((a, b) => a[0] - b[0]);
    console.log(`timeline of pulumi up on ${STACK} (seconds from the start of pulumi up)`);
    for (const [at, what] of rows) console.log(`${fmt(at)}  ${what}`);
    console.log("\nper node: container start -> ready log line -> healthcheck passed (s)");
    for (const { node, times } of nodes) {
        const d = (x?: number) => (x === undefined ? "    n/a" : fmt(x - times.started));
        console.log(`  ${node.name.padEnd(14)} ready ${d(times.ready)}  healthy ${d(times.healthy)}  (healthy - ready ${times.ready && times.healthy ? fmt(times.healthy - times.ready) : "n/a"})`);
    }
    console.log(`floor (slowest chain of start -> ready): ${floorSeconds(nodes).toFixed(2)} s; pulumi up -> first message ${(firstMessage / 1000).toFixed(2)} s`);
    console.log("\nprogram (Node.js, --cpu-prof), ms:");
    for (const [k, v] of Object.entries(profileBuckets(cpuDir)).sort((a, b) => b[1] - a[1])) console.log(`  ${v.toFixed(0).padStart(7)}  ${k}`);
    console.log(`\nraw data kept in ${dir} (events.jsonl, up.trace, cpu/)`);

    // PROFILE_HOOK: a shell command to run while the stack is still up (ad-hoc measurements).
    if (process.env.PROFILE_HOOK) spawnSync("bash", ["-c", process.env.PROFILE_HOOK], { stdio: "inherit" });
    stack.run(["destroy", "--yes", "--skip-preview"]);
    stack.remove();
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
