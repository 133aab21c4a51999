/**
 * `npm run render:k8s`: a Kubernetes stack's manifests, written to `rendered/<stack>/` for review,
 * offline: the program runs under the runtime's mocks (the resource-graph tests' harness), so there
 * is no Pulumi CLI, no plugin, no backend, no passphrase, no engine, no cluster and no download.
 * The objects are exactly what the program hands the Kubernetes provider; `renderDirectory` is set,
 * as for a real render, so steps that would run in a cluster (waiters, day-2 Jobs) are left out.
 *
 * Usage: npm run render:k8s [-- STACK] [--out DIR]   (default: k8s, rendered/<stack>)
 * Exit status: 0, or 1 with the reason on stderr.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { formatProblems } from "../../components/model";
import { readStack } from "../diff/stack";
import { Manifest, manifestsOf } from "./manifests";

const USAGE = "usage: npm run render:k8s [-- STACK] [--out DIR]   (default: k8s, rendered/<stack>)";

class RenderError extends Error {}

/** Renders `stack` of the project in `cwd` into `out`; returns the files written. */
export async function render(cwd: string, stack: string, out: string): Promise<{ manifests: Manifest[]; notes: string[] }> {
    if (!fs.existsSync(path.join(cwd, `Pulumi.${stack}.yaml`))) throw new RenderError(`no stack file Pulumi.${stack}.yaml in ${cwd}`);
    const file = readStack(cwd, stack);
    if (file.problems) throw new RenderError(formatProblems(file.problems));
    if (file.plan?.target !== "kubernetes") throw new RenderError(`stack ${stack} deploys to "${file.plan?.target}": only a Kubernetes stack has manifests`);
    const kubernetes = JSON.parse(file.config["kafka-env:kubernetes"] ?? "{}") as Record<string, unknown>;
    // Rendered topics are a Job: the provider would need brokers to talk to.
    const config = { ...file.config, "kafka-env:kubernetes": JSON.stringify({ ...kubernetes, renderDirectory: out, topics: "job" }) };
    // Loaded here: a run that fails above never loads the Pulumi runtime.
    const { runMocked } = await import("../graph/mocks");
    const { deployEnvironment } = await import("../../components/stackConfig");
    let resources;
    try {
        ({ resources } = await runMocked(config, deployEnvironment, { stack, secretKeys: [...file.secretKeys] }));
    } catch (e) {
        throw new RenderError((e as Error).message);
    }
    const manifests = manifestsOf(resources);
    fs.rmSync(out, { recursive: true, force: true });
    for (const m of manifests) {
        const target = path.join(out, m.file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, stringify(m.object));
    }
    const notes = Object.keys(file.secrets).map((key) => `${key} is encrypted in Pulumi.${stack}.yaml: rendered as a placeholder, never decrypted`);
    return { manifests, notes };
}

function args(argv: string[]): { stack: string; out?: string } {
    try {
        const { values, positionals } = parseArgs({ args: argv, options: { out: { type: "string" } }, allowPositionals: true, strict: true });
        if (positionals.length > 1) throw new Error("one stack at a time");
        return { stack: positionals[0] ?? "k8s", out: values.out };
    } catch (e) {
        throw new RenderError(`${(e as Error).message}\n${USAGE}`);
    }
}

async function main(argv: string[], cwd: string): Promise<string> {
    const { stack, out } = args(argv);
    const dir = path.resolve(cwd, out ?? path.join("rendered", stack));
    const { manifests, notes } = await render(cwd, stack, dir);
    const kinds = new Map<string, number>();
    for (const m of manifests) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    const summary = [...kinds]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, n]) => `${n} ${k}`)
        .join(", ");
    const where = path.relative(cwd, dir) || ".";
    return [...notes, `rendered ${manifests.length} manifests of stack ${stack} to ${where}/ (${summary}), offline under mocks`].join("\n");
}

if (require.main === module) {
    main(process.argv.slice(2), process.cwd()).then(
        (line) => process.stdout.write(`${line}\n`),
        (e: unknown) => {
            const reason = e instanceof RenderError ? e.message : ((e as Error).stack ?? String(e));
            process.stderr.write(`render:k8s failed: ${reason}\n`);
            process.exitCode = 1;
        },
    );
}
