/** The `docker` CLI against the engine in DOCKER_HOST (Podman's Docker API in CI). */
import { spawnSync } from "node:child_process";

export function docker(args: string[], options: { allowFailure?: boolean } = {}): string {
    const r = spawnSync("docker", args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    if (r.error) throw r.error;
    if (r.status !== 0 && !options.allowFailure) {
        throw new Error(`docker ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    }
    return r.stdout.trim();
}

export function inspect(container: string, format: string): string {
    return docker(["inspect", "--format", format, container]);
}

/** Environment of a container as a map. */
export function containerEnv(container: string): Record<string, string> {
    const env = JSON.parse(inspect(container, "{{json .Config.Env}}")) as string[];
    return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

/** Names of the containers, volumes and networks carrying an environment's label or name. */
export function leftovers(environment: string): { containers: string[]; volumes: string[]; networks: string[] } {
    const list = (out: string) => out.split("\n").filter(Boolean);
    return {
        containers: list(docker(["ps", "-a", "--filter", `label=kafka-env.environment=${environment}`, "--format", "{{.Names}}"])),
        volumes: list(docker(["volume", "ls", "--filter", `label=kafka-env.environment=${environment}`, "--format", "{{.Name}}"])),
        networks: list(docker(["network", "ls", "--format", "{{.Name}}"])).filter((n) => n === environment),
    };
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutSeconds: number): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < timeoutSeconds * 1000) {
        if (await check()) return (Date.now() - start) / 1000;
        await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`timed out after ${timeoutSeconds}s waiting for ${what}`);
}

export function allVolumes(): string[] {
    return docker(["volume", "ls", "--format", "{{.Name}}"]).split("\n").filter(Boolean);
}
