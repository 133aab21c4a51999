/**
 * `npm run down`: the dev environment goes completely, protected topics included, after a list of
 * what goes. Only here, for the dev stack: everywhere else a protected topic still stops a rename,
 * a removal or a `pulumi destroy`.
 */
import { DevError, env, must, quiet, say, shown } from "./proc";

/** A resource of `pulumi stack export`, as much of it as the inventory reads. */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly outputs?: { readonly name?: string };
    readonly protect?: boolean;
}

export interface Inventory {
    readonly topics: readonly StateResource[];
    readonly containers: readonly string[];
    readonly volumes: readonly string[];
    readonly networks: readonly string[];
    readonly images: readonly string[];
}

const TYPES = {
    topic: "kafka:index/topic:Topic",
    container: "docker:index/container:Container",
    volume: "docker:index/volume:Volume",
    network: "docker:index/network:Network",
    image: "docker:index/remoteImage:RemoteImage",
};

export function inventory(resources: readonly StateResource[]): Inventory {
    const names = (type: string) =>
        resources
            .filter((r) => r.type === type)
            .map((r) => r.outputs?.name ?? r.urn.split("::").pop()!)
            .sort();
    return {
        topics: resources.filter((r) => r.type === TYPES.topic).sort((a, b) => (a.outputs?.name ?? "").localeCompare(b.outputs?.name ?? "")),
        containers: names(TYPES.container),
        volumes: names(TYPES.volume),
        networks: names(TYPES.network),
        images: names(TYPES.image),
    };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What `npm run down` prints before it removes anything. */
export function describe(stack: string, inv: Inventory): string[] {
    const list = (xs: readonly string[]) => xs.join(", ");
    const topics = inv.topics.map((t) => t.outputs?.name ?? "?");
    const protectedCount = inv.topics.filter((t) => t.protect).length;
    const lines = [`npm run down removes the ${stack} environment:`];
    if (topics.length > 0)
        lines.push(
            `  ${plural(topics.length, "topic")} and their data: ${list(topics)}${protectedCount > 0 ? ` (${protectedCount} protected: unprotected for this removal only)` : ""}`,
        );
    if (inv.containers.length > 0) lines.push(`  ${plural(inv.containers.length, "container")}, with their anonymous volumes: ${list(inv.containers)}`);
    if (inv.volumes.length > 0) lines.push(`  ${plural(inv.volumes.length, "volume")}: ${list(inv.volumes)}`);
    if (inv.networks.length > 0) lines.push(`  network ${list(inv.networks)}`);
    lines.push(`  kept: the images (${inv.images.length}, other stacks may use them) and Pulumi.${stack}.yaml`);
    return lines;
}

/** Volumes the containers mount, anonymous ones included (the images declare more than the data directory). */
function mountedVolumes(containers: readonly string[]): string[] {
    if (containers.length === 0) return [];
    const r = quiet("docker", ["inspect", "--format", '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}', ...containers]);
    return r.stdout.split(/\s+/).filter(Boolean);
}

function running(containers: readonly string[]): string[] {
    return containers.filter((c) => quiet("docker", ["inspect", "--format", "{{.State.Running}}", c]).stdout.trim() === "true");
}

/** Destroys the stack's resources; returns nothing left behind, or throws naming what is. */
export function destroy(stack: string, environment: string): void {
    const exported = JSON.parse(must("reading the stack's state", "pulumi", ["stack", "export", "--stack", stack])) as {
        deployment?: { resources?: StateResource[] };
    };
    const inv = inventory(exported.deployment?.resources ?? []);
    describe(stack, inv).forEach(say);
    const volumes = [...new Set([...inv.volumes, ...mountedVolumes(inv.containers)])];
    if (inv.topics.length > 0 && running(inv.containers).length === 0) {
        // Deleting a topic needs its brokers; stopped ones (a reboot) would make each wait out the provider's timeout.
        say("the brokers are not running: the topics go with the brokers' volumes, and leave the state without a delete request");
        for (const t of inv.topics) must(`forgetting topic ${t.outputs?.name}`, "pulumi", ["state", "delete", t.urn, "--stack", stack, "--force", "--yes"]);
    } else if (inv.topics.some((t) => t.protect)) {
        must("unprotecting the topics", "pulumi", ["state", "unprotect", "--all", "--stack", stack, "--yes"]);
    }
    shown("pulumi destroy", "pulumi", ["destroy", "--stack", stack, "--yes", "--skip-preview", "--non-interactive"]);
    const left = leftovers(environment, volumes);
    if (left.length > 0) throw new DevError(`pulumi destroy left these behind: ${left.join(", ")}`);
    const counts = [
        plural(inv.topics.length, "topic"),
        plural(inv.containers.length, "container"),
        plural(volumes.length, "volume"),
        plural(inv.networks.length, "network"),
    ];
    say(`removed ${counts.join(", ")}; nothing of ${environment} is left in the engine`);
}

/** Containers, volumes and networks of `environment` that still exist (by label and by name). */
export function leftovers(environment: string, volumes: readonly string[] = []): string[] {
    const lines = (args: string[]) => quiet("docker", args).stdout.split("\n").filter(Boolean);
    const label = `label=kafka-env.environment=${environment}`;
    const containers = lines(["ps", "-a", "--filter", label, "--format", "{{.Names}}"]).map((n) => `container ${n}`);
    const labelled = lines(["volume", "ls", "--filter", label, "--format", "{{.Name}}"]);
    const named = volumes.filter((v) => quiet("docker", ["volume", "inspect", v]).code === 0);
    const vols = [...new Set([...labelled, ...named])].map((v) => `volume ${v}`);
    const nets = lines(["network", "ls", "--format", "{{.Name}}"])
        .filter((n) => n === environment)
        .map((n) => `network ${n}`);
    return [...containers, ...vols, ...nets];
}

/** Whether the stack exists on the backend. */
export function stackExists(stack: string): boolean {
    const r = quiet("pulumi", ["stack", "ls", "--json"]);
    if (r.code !== 0) throw new DevError(`pulumi stack ls failed: ${r.stderr.trim()}`);
    return (JSON.parse(r.stdout || "[]") as { name: string }[]).some((s) => s.name === stack || s.name.endsWith(`/${stack}`));
}

export function removeStack(stack: string): void {
    // --preserve-config: without it `stack rm` deletes the committed Pulumi.<stack>.yaml.
    must("removing the stack", "pulumi", ["stack", "rm", stack, "--yes", "--preserve-config", "--non-interactive"]);
    say(`removed the stack ${stack} from the backend (${env.PULUMI_BACKEND_URL ?? "Pulumi.yaml's backend.url"})`);
}
