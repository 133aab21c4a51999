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
