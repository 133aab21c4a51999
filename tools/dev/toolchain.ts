/**
 * The Pulumi CLI and provider plugins for the dev stack: the user's `pulumi` when it is on PATH
 * (with its own plugin downloads), else the ones the end-to-end tests build from Go modules into
 * the shared cache (e2e/toolchain/*.sh, ~/.cache/kafka-env), built there first if they are not.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DevError, env, home, must, quiet, say, shown, which } from "./proc";

export const CACHE = process.env.KAFKA_ENV_CACHE ?? path.join(process.env.HOME ?? "/root", ".cache", "kafka-env");

/** Measured on the project's 2-core machines (cold Go caches), for the notice before a build. */
const BUILD_TIMES = { cli: "about 5-6 min (329 s measured)", plugins: "about 7 min for both (405 s measured)" };

/** `version` of an installed npm package, or `pulumi.version` (the plugin version its SDK asks for). */
export function packageVersion(root: string, pkg: string, field: "version" | "pulumi.version" = "version"): string {
    const file = path.join(root, "node_modules", pkg, "package.json");
    if (!fs.existsSync(file)) throw new DevError(`${pkg} is not installed: run npm ci first`);
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as { version: string; pulumi?: { version?: string } };
    const v = field === "version" ? json.version : json.pulumi?.version;
    if (!v) throw new DevError(`${file} has no ${field}`);
    return v;
}

/** Where e2e/toolchain/pulumi-cli.sh and pulumi-providers.sh put their builds (their documented layout). */
export function cachedPaths(root: string) {
    return {
        cli: path.join(CACHE, "pulumi", `v${packageVersion(root, "@pulumi/pulumi")}`, "bin"),
        plugins: (["docker", "kafka"] as const).map((name) => {
            const version = packageVersion(root, `@pulumi/${name}`, "pulumi.version");
            return { name, version, binary: path.join(CACHE, "plugins", `${name}-v${version}`, `pulumi-resource-${name}`) };
        }),
    };
}

/**
 * Puts a Pulumi CLI on `env.PATH` and makes its plugins available; says which one and why.
 * Only the fallback builds anything.
 */
export function ensurePulumi(root: string, options: { build: boolean } = { build: true }): void {
    // Empty, documented: the dev stack's salt is committed (Pulumi.dev.yaml) and it holds no secret.
    if (env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) env.PULUMI_CONFIG_PASSPHRASE = "";
    env.PULUMI_SKIP_UPDATE_CHECK ??= "true";
    const own = which("pulumi");
    if (own) {
        say(`Pulumi CLI: ${own} (on PATH)`);
        return;
    }
    const cached = cachedPaths(root);
    const cliCached = fs.existsSync(path.join(cached.cli, "pulumi"));
    const missingPlugins = cached.plugins.filter((p) => !fs.existsSync(p.binary));
    if ((!cliCached || missingPlugins.length > 0) && !options.build) {
        throw new DevError("no pulumi on PATH and none built in the cache yet: run npm run up first");
    }
    if ((!cliCached || missingPlugins.length > 0) && !which("go") && !fs.existsSync("/usr/local/go/bin/go")) {
        throw new DevError(
            "no pulumi on PATH, none built yet, and no Go toolchain to build one: install the Pulumi CLI, or Go 1.25+ (then npm run up builds it)",
        );
    }
    if (!cliCached) say(`building the Pulumi CLI from Go modules (e2e/toolchain/pulumi-cli.sh), once per machine: usually ${BUILD_TIMES.cli} on 2 cores`);
    const bin = cliCached
        ? must("the Pulumi CLI", "bash", [path.join(root, "e2e/toolchain/pulumi-cli.sh")])
        : shown("building the Pulumi CLI", "bash", [path.join(root, "e2e/toolchain/pulumi-cli.sh")], { stderrOnly: true });
    const dir = bin.trim().split("\n").pop()!;
    const version = quiet(path.join(dir, "pulumi"), ["version"]).stdout.trim();
    say(`Pulumi CLI: none on PATH, so the one the end-to-end tests build from Go modules: ${version} (${home(dir)})`);
    // pulumi-resource-pulumi-nodejs (dynamic providers) ships beside the real CLI; here it comes from @pulumi/pulumi.
    env.PATH = [dir, path.join(root, "node_modules", "@pulumi", "pulumi"), env.PATH].join(path.delimiter);
    env.PULUMI_HOME = path.join(CACHE, "pulumi-home");
    env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";

    if (missingPlugins.length > 0) {
        say(
            `building the provider plugins ${missingPlugins.map((p) => p.name).join(", ")} from Go modules (e2e/toolchain/pulumi-providers.sh), once per machine: usually ${BUILD_TIMES.plugins} on 2 cores`,
        );
        shown("building the provider plugins", "bash", [path.join(root, "e2e/toolchain/pulumi-providers.sh")], { stderrOnly: true });
    }
    const installed = JSON.parse(must("listing plugins", "pulumi", ["plugin", "ls", "--json"]) || "[]") as { name: string; kind: string; version: string }[];
    for (const p of cached.plugins) {
        if (installed.some((i) => i.name === p.name && i.kind === "resource" && i.version === p.version)) continue;
        must(`installing plugin ${p.name} ${p.version}`, "pulumi", ["plugin", "install", "resource", p.name, p.version, "-f", p.binary]);
    }
    say(`provider plugins: ${cached.plugins.map((p) => `${p.name} ${p.version}`).join(", ")}, built from Go modules like the CLI (no plugin download)`);
}
