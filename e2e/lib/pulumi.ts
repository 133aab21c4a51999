/**
 * Drives the real Pulumi CLI against this project: one stack on a temporary local file backend,
 * its config kept in a temporary file (`--config-file`) so tests can change it without touching
 * the committed stack files.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";

export const PROJECT_DIR = path.join(__dirname, "..", "..");

export interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
}

export class PulumiStack {
    readonly stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-e2e-state-"));
    readonly configFile: string;

    /** Where `pulumi` runs: this checkout, or another revision's (`runFrom`). */
    projectDir = PROJECT_DIR;

    /** `stack init` writes `Pulumi.<stack>.yaml` here when no file is committed; `remove` deletes that one. */
    private readonly writtenByInit?: string;
    private readonly reasons = new Map<string, string>();

    /** `stack` names the committed `Pulumi.<stack>.yaml` the config starts from, unless `config` (a `config:` block) is given. */
    constructor(
        readonly stack: string,
        config?: Record<string, unknown>,
    ) {
        this.configFile = path.join(this.stateDir, `Pulumi.${stack}.yaml`);
        const committed = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
        if (config) fs.writeFileSync(this.configFile, stringify({ config }));
        else fs.copyFileSync(committed, this.configFile);
        if (!fs.existsSync(committed)) this.writtenByInit = committed;
    }

    private env(): NodeJS.ProcessEnv {
        return {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${this.stateDir}`,
            PULUMI_CONFIG_PASSPHRASE: "kafka-env-e2e",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
    }

    /** The CLI arguments for `pulumi <args>` on this stack. */
    private argv(args: string[]): string[] {
        const withStack = [...args, "--stack", this.stack, "--non-interactive"];
        const usesConfig = ["up", "preview", "destroy", "refresh"].includes(args[0]) || args[0] === "config";
        if (usesConfig) withStack.push("--config-file", this.configFile);
        return withStack;
    }

    private result(args: string[], code: number | null, stdout: string, stderr: string, start: bigint, allowFailure?: boolean): Run {
        const run: Run = { code: code ?? -1, stdout, stderr, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
        if (run.code !== 0 && !allowFailure) {
            throw new Error(`pulumi ${args.join(" ")} failed (${run.code}):\n${run.stdout.slice(-6000)}\n${run.stderr.slice(-4000)}`);
        }
        return run;
    }

    /** Runs `pulumi <args>` for this stack; throws with the output unless `allowFailure`. */
    run(args: string[], options: { allowFailure?: boolean } = {}): Run {
        const start = process.hrtime.bigint();
        const r = spawnSync("pulumi", this.argv(args), { cwd: this.projectDir, env: this.env(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        if (r.error) throw r.error;
        return this.result(args, r.status, r.stdout ?? "", r.stderr ?? "", start, options.allowFailure);
    }

    /** As `run`, without blocking the event loop (for clients that keep working meanwhile). */
    runAsync(args: string[], options: { allowFailure?: boolean } = {}): Promise<Run> {
        const start = process.hrtime.bigint();
        const child = spawn("pulumi", this.argv(args), { cwd: this.projectDir, env: this.env() });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        return new Promise((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code) => {
                try {
                    resolve(this.result(args, code, stdout, stderr, start, options.allowFailure));
                } catch (e) {
                    reject(e instanceof Error ? e : new Error(String(e)));
                }
            });
        });
    }

    init(): void {
        this.run(["stack", "init"]);
    }

    up(options: { allowFailure?: boolean } = {}): Run {
        return this.run(["up", "--yes", "--skip-preview", "--diff"], options);
    }

    upAsync(options: { allowFailure?: boolean } = {}): Promise<Run> {
        return this.runAsync(["up", "--yes", "--skip-preview", "--diff"], options);
    }

    /** The steps a preview plans, from `--json`: `[op, type, name]`, unchanged ones left out. */
    previewSteps(): [string, string, string][] {
        const out = this.run(["preview", "--json"]).stdout;
        const doc = JSON.parse(out) as { steps?: { op: string; urn: string; replaceReasons?: string[]; diffReasons?: string[] }[] };
        this.reasons.clear();
        return (doc.steps ?? [])
            .filter((s) => s.op !== "same")
            .map((s): [string, string, string] => {
                const parts = s.urn.split("::");
                const step: [string, string, string] = [s.op, parts[2].split("$").pop()!, parts[3]];
                this.reasons.set(step.join(" "), (s.op.includes("replace") ? s.replaceReasons : s.diffReasons)?.join(", ") ?? "");
                return step;
            })
            .sort();
    }

    /** A step of the last `previewSteps()` with the properties that caused it, for an assertion's message. */
    explain(step: readonly string[]): string {
        return `${step.join(" ")} (${this.reasons.get(step.join(" ")) || "no reasons given"})`;
    }

    outputs(): Record<string, string> {
        return JSON.parse(this.run(["stack", "output", "--json"]).stdout) as Record<string, string>;
    }

    /** Every output with secrets shown (credentials are objects). */
    secretOutputs(): Record<string, unknown> {
        return JSON.parse(this.run(["stack", "output", "--json", "--show-secrets"]).stdout) as Record<string, unknown>;
    }

    /** Rewrites `kafka-env:cluster` in this stack's config file. */
    editCluster(edit: (cluster: any) => void): void {
        const doc = parse(fs.readFileSync(this.configFile, "utf8")) as { config: Record<string, any> };
        edit(doc.config["kafka-env:cluster"]);
        fs.writeFileSync(this.configFile, stringify(doc));
    }

    /** The config file's text, to put back with `restoreConfig` after trying a change. */
    snapshotConfig(): string {
        return fs.readFileSync(this.configFile, "utf8");
    }

    restoreConfig(text: string): void {
        fs.writeFileSync(this.configFile, text);
    }

    /**
     * Tries a cluster edit with `pulumi preview`, puts the config file back, and asserts that the
     * preview failed with `refusal` in its output (the guard's message).
     */
    assertPreviewRefused(edit: (cluster: any) => void, refusal: RegExp, what: string): void {
        const saved = this.snapshotConfig();
        this.editCluster(edit);
        const r = this.run(["preview"], { allowFailure: true });
        this.restoreConfig(saved);
        assert.notEqual(r.code, 0, `the preview of ${what} must fail`);
        assert.match(r.stdout + r.stderr, refusal);
    }

    /** Removes the stack and its temporary state (after `destroy`). */
    remove(): void {
        // --preserve-config: without it `stack rm` deletes the committed Pulumi.<stack>.yaml.
        this.run(["stack", "rm", "--yes", "--force", "--preserve-config"], { allowFailure: true });
        if (this.writtenByInit) fs.rmSync(this.writtenByInit, { force: true });
        fs.rmSync(this.stateDir, { recursive: true, force: true });
    }
}
