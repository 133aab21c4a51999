/**
 * The `docker` CLI, for the dynamic providers that watch and steer a running cluster (roll gates,
 * reassignment). DOCKER_HOST and friends come from the environment `pulumi` runs in.
 */
import { spawn } from "node:child_process";

export interface CliResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

export function dockerCli(args: readonly string[], input?: string): Promise<CliResult> {
    return new Promise((resolve) => {
        const child = spawn("docker", [...args], { stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", (e) => resolve({ code: -1, stdout, stderr: `${stderr}${e.message}` }));
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
        if (input !== undefined) child.stdin!.end(input);
    });
}

/** Runs a bash command in a container; throws with its output when it fails. */
export async function execIn(container: string, command: string, input?: string): Promise<string> {
    const r = await dockerCli(["exec", ...(input === undefined ? [] : ["-i"]), container, "bash", "-c", command], input);
    // Kafka's tools print the reason on stdout and only a summary on stderr ("1 out of 1 operation(s) failed")
    const said = `${r.stdout.trim().split("\n").slice(-5).join("\n")}\n${r.stderr.trim().split("\n").slice(-5).join("\n")}`.trim();
    if (r.code !== 0) throw new Error(`kafka-env: \`${command}\` in ${container} failed (exit ${r.code}): ${said}`);
    return r.stdout;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A dynamic provider's outputs without `undefined` values: the provider host hands them to
 * protobuf's `Struct.fromJavaScript`, which fails the whole operation with "Unexpected struct
 * type" on an `undefined` (a first `BrokerSet` create did, with no reassignment yet).
 */
export function outputs<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** JSON with sorted keys: the engine hands inputs over in no particular key order. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/**
 * The dynamic resources' diff: an update whenever an input changed (an unknown value counts as a
 * change), never a replacement, so a gate is re-run, not deleted, when its container is replaced.
 * The provider's own code and the outputs it adds are not inputs.
 */
export function inputsDiff(olds: Record<string, unknown>, news: Record<string, unknown>, outputsOnly: readonly string[] = []) {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)].filter((k) => k !== "__provider" && !outputsOnly.includes(k)));
    const changes = [...keys].some((k) => canonical(olds[k]) !== canonical(news[k]));
    return Promise.resolve({ changes, replaces: [] as string[], deleteBeforeReplace: false });
}
