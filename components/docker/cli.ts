/**
 * The `docker` CLI, for the dynamic providers that watch and steer a running cluster (roll gates,
 * Kafka's tools, the teardown). DOCKER_HOST and friends come from the environment `pulumi` runs in.
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
