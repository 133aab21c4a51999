/**
 * The dev stack's commands, on any machine: `npm run up`, `npm run down`, `npm run preview`
 * (and `outputs`, the stack's outputs as JSON). Each uses what the machine has (a `pulumi` on PATH,
 * a Docker API, pullable images) and falls back, one plain line each, to what the project builds:
 * the Pulumi CLI and plugins from Go modules (e2e/toolchain/), Podman (e2e/engine/), local images
 * (e2e/images/). State: Pulumi.yaml's backend (~/.pulumi); passphrase: empty (Pulumi.dev.yaml's
 * committed salt), unless PULUMI_CONFIG_PASSPHRASE(_FILE) says otherwise.
 *
 * Exit status: 0, or 1 with the reason on stderr.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readStack } from "../diff/stack";
import { destroy, leftovers, removeStack, stackExists } from "./down";
import { ENGINE_DIR, ensureEngine, ourSocket, stopOurEngine } from "./engine";
import { ensureImages } from "./images";
import { DevError, env, must, phase, quiet, say, seconds, shown } from "./proc";
import { ensurePulumi } from "./toolchain";

const ROOT = path.join(__dirname, "..", "..");
const STACK = "dev";
/** Measured here (2 cores, ZooKeeper and 3 brokers, local images: 25-68 s), for the notice before it. */
const DEPLOY_TIME = "usually 30-70 s on 2 cores";

function environmentName(): string {
    const plan = readStack(ROOT, STACK).plan;
    if (!plan) throw new DevError(`Pulumi.${STACK}.yaml has problems: run npm run preview to see them`);
    return plan.cluster.name;
}

function ensureStack(): void {
    if (stackExists(STACK)) return;
    must(`creating the ${STACK} stack`, "pulumi", ["stack", "init", STACK, "--non-interactive"]);
    say(`created the ${STACK} stack (state: ${env.PULUMI_BACKEND_URL ?? "Pulumi.yaml's backend.url, ~/.pulumi"}; passphrase: empty, see Pulumi.${STACK}.yaml)`);
}

async function up(): Promise<void> {
    const start = Date.now();
    await phase("Pulumi CLI and plugins", () => ensurePulumi(ROOT));
    const engine = (await phase("container engine", () => ensureEngine(ROOT, { start: true })))!;
    const stackFile = await phase("images", () => ensureImages(ROOT, STACK, engine, { build: true }));
    await phase(`pulumi up of the ${STACK} stack (${DEPLOY_TIME})`, () => {
        ensureStack();
        const args = ["up", "--stack", STACK, "--yes", "--skip-preview", "--non-interactive", ...(stackFile ? ["--config-file", stackFile] : [])];
        try {
            shown("pulumi up", "pulumi", args);
        } finally {
            if (stackFile) fs.rmSync(path.dirname(stackFile), { recursive: true, force: true });
        }
    });
    const outputs = JSON.parse(must("reading the outputs", "pulumi", ["stack", "output", "--json", "--stack", STACK])) as Record<string, string>;
    const ui = outputs.kafkaUiUrl ? `kafka-ui ${outputs.kafkaUiUrl}` : "no kafka-ui";
    say(`the ${STACK} environment is up (${seconds(start)} s): bootstrapServers ${outputs.bootstrapServers}, ${ui}`);
    if (engine.ours) say(`  its engine, for docker commands: export DOCKER_HOST=${ourSocket()}`);
    say("  remove it all: npm run down");
}

async function down(): Promise<void> {
    const start = Date.now();
    await phase("Pulumi CLI and plugins", () => ensurePulumi(ROOT, { build: false }));
    const exists = stackExists(STACK);
    // The engine is needed only to remove something; an engine of ours that died is started again for that.
    const engine = await phase("container engine", () => ensureEngine(ROOT, { start: exists }));
    if (exists) {
        await phase(`removing the ${STACK} environment`, () => {
            destroy(STACK, environmentName());
            removeStack(STACK);
        });
    } else {
        say(`no ${STACK} stack: nothing deployed to remove`);
        const left = engine ? leftovers(environmentName()) : [];
        if (left.length > 0)
            throw new DevError(
                `no ${STACK} stack, yet these exist (remove them with docker rm -fv / docker volume rm / docker network rm): ${left.join(", ")}`,
            );
    }
    if (stopOurEngine(ROOT)) say(`stopped the Podman engine npm run up started (${ENGINE_DIR})`);
    say(`npm run down: done in ${seconds(start)} s`);
}

async function preview(): Promise<void> {
    await phase("Pulumi CLI and plugins", () => ensurePulumi(ROOT));
    const engine = await phase("container engine", () => ensureEngine(ROOT, { start: false }));
    if (!engine) throw new DevError("no Docker API answers: npm run up starts the project's engine (a preview does not start one)");
    const stackFile = await phase("images", () => ensureImages(ROOT, STACK, engine, { build: false }));
    ensureStack();
    try {
        shown("pulumi preview", "pulumi", ["preview", "--diff", "--stack", STACK, "--non-interactive", ...(stackFile ? ["--config-file", stackFile] : [])]);
    } finally {
        if (stackFile) fs.rmSync(path.dirname(stackFile), { recursive: true, force: true });
    }
}

/** The stack's outputs, read with the CLI `npm run up` uses (for scripts and CI). */
export function outputs(): Record<string, string> {
    ensurePulumi(ROOT, { build: false });
    const r = quiet("pulumi", ["stack", "output", "--json", "--stack", STACK]);
    if (r.code !== 0) throw new DevError(`no outputs: ${r.stderr.trim()} (is the ${STACK} environment up?)`);
    return JSON.parse(r.stdout) as Record<string, string>;
}

const COMMANDS: Record<string, () => Promise<void>> = {
    up,
    down,
    preview,
};

if (require.main === module) {
    const command = COMMANDS[process.argv[2] ?? ""];
    if (!command) {
        process.stderr.write(`usage: ts-node tools/dev/cli.ts ${Object.keys(COMMANDS).join("|")}\n`);
        process.exit(2);
    }
    command().catch((e: unknown) => {
        process.stderr.write(`npm run ${process.argv[2]} failed: ${e instanceof DevError ? e.message : ((e as Error).stack ?? String(e))}\n`);
        process.exitCode = 1;
    });
}
