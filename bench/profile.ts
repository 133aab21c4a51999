/**
 * The critical path of one `pulumi up` of the dev-like e2e stack (Pulumi.e2e-zk.yaml, or the stack
 * in BENCH_STACK), as a timeline from the moment `pulumi up` is started: each engine event as it
 * is written to `--event-log` (engine start, program registrations, each resource's create),
 * each node's container start, first "ready" log line and first passing healthcheck, then the
 * first message consumed. The Node.js program runs with `--cpu-prof`; its busy time is split by
 * where it was spent. `--tracing` writes the engine's own trace next to it (kept, path printed).
 * PROFILE_RUNS=N repeats the whole up / first message / destroy N times (to catch a slow run) and
 * prints one line per run at the end. Before the last destroy, a no-change `pulumi preview` is
 * profiled the same way: when the program and the providers' processes start and end, and each
 * Node.js process's CPU time by where it was spent.
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

interface CpuProfile {
    readonly nodes: { id: number; hitCount: number; callFrame: { functionName: string; url: string } }[];
    readonly startTime: number;
    readonly endTime: number;
    readonly samples: number[];
}

/** Which of our Node.js processes wrote a profile: the program, or the dynamic providers' host. */
function processOf(p: CpuProfile): string {
    const urls = p.nodes.map((n) => n.callFrame.url);
    if (urls.some((u) => u.includes("/cmd/dynamic-provider/"))) return "dynamic providers (pulumi-resource-pulumi-nodejs)";
    if (urls.some((u) => u.includes("/cmd/run/"))) return "program";
    return "other Node.js process";
}

/** Busy time of a `--cpu-prof` profile, by where it was spent (ms). */
function profileBuckets(p: CpuProfile): Record<string, number> {
    const perSample = (p.endTime - p.startTime) / 1000 / p.samples.length;
    const bucket = (url: string, fn: string): string => {
        if (fn === "(idle)") return "idle (waiting for the engine)";
        if (fn === "(garbage collector)") return "garbage collection";
        if (fn === "(program)") return "V8 (compile, other)";
        if (url.includes("/@pulumi/pulumi/runtime/closure/") || url.includes("/node_modules/typescript/"))
            return "closure serialization (dynamic providers' code)";
        if (url.includes("/node_modules/ts-node/") || url.includes("/@swc/")) return "ts-node / swc (transpile)";
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

/** Every profile in `dir`: the process that wrote it and its time by where it was spent. */
function printProfiles(dir: string): void {
    if (!fs.existsSync(dir)) return;
    for (const f of fs
        .readdirSync(dir)
        .filter((x) => x.endsWith(".cpuprofile"))
        .sort()) {
        const p = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as CpuProfile;
        console.log(`\n${processOf(p)} (${f}), ms:`);
        for (const [k, v] of Object.entries(profileBuckets(p)).sort((a, b) => b[1] - a[1])) if (v >= 5) console.log(`  ${v.toFixed(0).padStart(7)}  ${k}`);
    }
}

const short = (urn: string) => urn.split("::").slice(-1)[0];
const fmt = (ms: number) => (ms / 1000).toFixed(2).padStart(7);

/** Event-log lines as timeline rows. */
function eventRows(events: readonly EngineEvent[]): [number, string][] {
    const rows: [number, string][] = [];
    for (const e of events) {
        if (e.kind === "resourcePreEvent") rows.push([e.at, `begin ${e.op} ${short(e.urn!)}`]);
        else if (e.kind === "resOutputsEvent") rows.push([e.at, `done  ${e.op} ${short(e.urn!)}`]);
        else if (e.kind === "prelude" || e.kind === "summaryEvent") rows.push([e.at, e.kind]);
    }
    return rows;
}

/**
 * Runs `pulumi <args>` with the event log followed, the engine's trace and Node.js CPU profiles
 * written under `dir`; returns the events (ms after the start) and the command's wall time (ms).
 */
async function profiled(stack: PulumiStack, dir: string, args: string[]): Promise<{ events: EngineEvent[]; ms: number }> {
    fs.mkdirSync(dir, { recursive: true });
    const eventLog = path.join(dir, "events.jsonl");
    // Only our Node.js processes start after this (the CLI and plugins are Go).
    process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${path.join(dir, "cpu")}`;
    process.env.PULUMI_DEBUG_COMMANDS = "true"; // enables `--event-log`
    const t0 = Date.now();
    const follower = follow(eventLog, t0);
    try {
        await stack.runAsync([...args, "--event-log", eventLog, "--tracing", `file:${path.join(dir, "engine.trace")}`]);
    } finally {
        delete process.env.NODE_OPTIONS;
        delete process.env.PULUMI_DEBUG_COMMANDS;
    }
    return { events: follower.stop(), ms: Date.now() - t0 };
}

interface RunFigures {
    readonly firstMessage: number;
    readonly floor: number;
}

/** One `pulumi up` → first message, its timeline printed; the stack stays up. */
async function profileUp(stack: PulumiStack, m: ClusterModel, dir: string, run: number): Promise<RunFigures> {
    const t0 = Date.now();
    const up = await profiled(stack, dir, ["up", "--yes", "--skip-preview"]);
    const bootstrap = m.bootstrapServers.join(",");
    await produce(bootstrap, m.topics[0].name, 1);
    await consumeAll(bootstrap, m.topics[0].name, 1, 120000);
    const firstMessage = Date.now() - t0;

    const rows = eventRows(up.events);
    const nodes = m.nodes.map((node) => ({ node, times: nodeTimes(`${m.name}-${node.name}`, node) }));
    for (const { node, times } of nodes) {
        rows.push([times.started - t0, `${node.name}: container started`]);
        if (times.ready) rows.push([times.ready - t0, `${node.name}: ready (first ready log line)`]);
        // The engine keeps only the last few check results: an early pass may be gone by now.
        if (times.healthy) rows.push([times.healthy - t0, `${node.name}: earliest passing healthcheck still in the engine's log`]);
    }
    rows.push([up.ms, "pulumi up exited"], [firstMessage, "first message consumed"]);
    rows.sort((a, b) => a[0] - b[0]);
    console.log(`\n[run ${run}] timeline of pulumi up on ${STACK} (seconds from the start of pulumi up)`);
    for (const [at, what] of rows) console.log(`${fmt(at)}  ${what}`);
    console.log("\nper node: container start -> ready log line -> healthcheck passed (s)");
    for (const { node, times } of nodes) {
        const d = (x?: number) => (x === undefined ? "    n/a" : fmt(x - times.started));
        console.log(
            `  ${node.name.padEnd(14)} ready ${d(times.ready)}  healthy ${d(times.healthy)}  (healthy - ready ${times.ready && times.healthy ? fmt(times.healthy - times.ready) : "n/a"})`,
        );
    }
    const floor = floorSeconds(nodes);
    console.log(`floor (slowest chain of start -> ready): ${floor.toFixed(2)} s; pulumi up -> first message ${(firstMessage / 1000).toFixed(2)} s`);
    printProfiles(path.join(dir, "cpu"));
    return { firstMessage: firstMessage / 1000, floor };
}

/** A no-change preview of the running stack: when each part starts and ends, and where its Node.js processes spend their time. */
async function profilePreview(stack: PulumiStack, dir: string): Promise<void> {
    const preview = await profiled(stack, dir, ["preview", "--expect-no-changes"]);
    console.log(`\n[preview] no-change pulumi preview on ${STACK}: ${(preview.ms / 1000).toFixed(2)} s (seconds from its start)`);
    const rows = eventRows(preview.events);
    rows.push([preview.ms, "pulumi preview exited"]);
    for (const [at, what] of rows.sort((a, b) => a[0] - b[0])) console.log(`${fmt(at)}  ${what}`);
    printProfiles(path.join(dir, "cpu"));
}

async function main() {
    const m = model();
    const runs = Number(process.env.PROFILE_RUNS ?? 1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-profile-"));
    const stack = new PulumiStack(STACK);
    stack.init();
    stack.editCluster((c) => (c.protectTopics = false));
    const figures: RunFigures[] = [];
    for (let run = 1; run <= runs; run++) {
        figures.push(await profileUp(stack, m, path.join(dir, `up-${run}`), run));
        if (run === runs) await profilePreview(stack, path.join(dir, "preview"));
        // PROFILE_HOOK: a shell command to run while the stack is still up (ad-hoc measurements).
        // It gets the stack's state and config: PROFILE_STATE_DIR, PROFILE_CONFIG_FILE, PROFILE_STACK.
        const hookEnv = { ...process.env, PROFILE_STATE_DIR: stack.stateDir, PROFILE_CONFIG_FILE: stack.configFile, PROFILE_STACK: STACK };
        if (process.env.PROFILE_HOOK) spawnSync("bash", ["-c", process.env.PROFILE_HOOK], { stdio: "inherit", env: hookEnv });
        stack.run(["destroy", "--yes", "--skip-preview"]);
    }
    stack.remove();
    console.log(`\n${STACK}: pulumi up -> first message per run (s), and how far above the floor:`);
    figures.forEach((f, i) =>
        console.log(`  run ${i + 1}: ${f.firstMessage.toFixed(1)} (floor ${f.floor.toFixed(1)}, above it ${(f.firstMessage - f.floor).toFixed(1)})`),
    );
    console.log(`raw data kept in ${dir} (per run: events.jsonl, engine.trace, cpu/)`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
