/**
 * Kafka's own clients as the security checks run them: several tool runs in one container (on the
 * cluster's network, or on the host's to reach the EXTERNAL listeners as a host client does),
 * each with its own client properties, reported one by one with its exit code and output. One
 * container per batch; each tool is a JVM with a small heap and the quick-start flags the
 * healthchecks use, so a batch of ten costs about a minute on two busy cores.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker } from "../lib/docker";

export interface ToolCheck {
    readonly name: string;
    /** Bash: `tool NAME ARGS...` runs Kafka's tool NAME (either image family); files are under /checks. */
    readonly command: string;
}

export interface ToolResult {
    readonly code: number;
    readonly output: string;
}

const JVM = "KAFKA_HEAP_OPTS=-Xmx192m KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1'";

/**
 * Runs `checks` in one container of `image` on `network` (a container network, or `host`), with
 * `files` (name -> content) in /checks; resolves each check's exit code and output by name.
 */
export function runToolChecks(
    network: string,
    image: string,
    files: Readonly<Record<string, string>>,
    checks: readonly ToolCheck[],
): Record<string, ToolResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-checks-"));
    try {
        fs.chmodSync(dir, 0o755);
        for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content, { mode: 0o644 });
        const out = docker(["run", "--rm", "--network", network, "-v", `${dir}:/checks:ro`, "--entrypoint", "bash", image, "-c", toolScript(checks)], {
            allowFailure: true,
        });
        return resultsOf(out, checks);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Where a batch of checks runs: `cluster`, beside the cluster's clients; `host`, where `pulumi` runs (EXTERNAL). Files are in /checks. */
export type ToolRunner = (where: "cluster" | "host", files: Readonly<Record<string, string>>, checks: readonly ToolCheck[]) => Record<string, ToolResult>;

/** Docker: a container on the environment's network, or on the host's. */
export function dockerToolRunner(network: string, image: string): ToolRunner {
    return (where, files, checks) => runToolChecks(where === "cluster" ? network : "host", image, files, checks);
}

/** The bash that runs `checks` one by one, each reported between markers with its exit code. */
export function toolScript(checks: readonly ToolCheck[]): string {
    return [
        `tool() { t=$(command -v "$1" || echo "/opt/kafka/bin/$1.sh"); shift; ${JVM} "$t" "$@"; }`,
        ...checks.map((c) => `echo "=== ${c.name}"; ( ${c.command} ) 2>&1; echo "=== ${c.name} exit $?"`),
    ].join("\n");
}

/** Each check's result, by name, from what `toolScript` printed. */
export function resultsOf(out: string, checks: readonly ToolCheck[]): Record<string, ToolResult> {
    return Object.fromEntries(checks.map((c) => [c.name, resultOf(out, c.name)]));
}

function resultOf(out: string, name: string): ToolResult {
    const start = out.indexOf(`=== ${name}\n`);
    const end = out.indexOf(`=== ${name} exit `);
    if (start < 0 || end < 0) return { code: -1, output: `no report of ${name} in:\n${out.slice(-2000)}` };
    const code = Number(/^(\d+)/.exec(out.slice(end + `=== ${name} exit `.length))?.[1] ?? -1);
    return { code, output: out.slice(start + name.length + 5, end) };
}

/** The last lines of a tool's output that say why (for assertion messages). */
export function tail(r: ToolResult, lines = 6): string {
    return `exit ${r.code}: ${r.output.trim().split("\n").slice(-lines).join("\n")}`;
}
