/**
 * A throw-away git repository holding this checkout's program and a history of stack files, for
 * running `npm run diff`'s entry point on real commits.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";

export const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = ["components", "index.ts", "Pulumi.yaml", "package.json", "tsconfig.json"];

export class TempRepo {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-diff-test-"));

    constructor() {
        for (const entry of PROGRAM) fs.cpSync(path.join(ROOT, entry), path.join(this.dir, entry), { recursive: true });
        fs.writeFileSync(path.join(this.dir, ".gitignore"), "node_modules\n");
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(this.dir, "node_modules"), "dir");
        this.git("init", "--quiet", "--initial-branch=main");
    }

    git(...args: string[]): string {
        const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
        return execFileSync("git", args, { cwd: this.dir, env, encoding: "utf8" }).trim();
    }

    /** Writes `Pulumi.<stack>.yaml` with this `config:` block. */
    writeStack(stack: string, config: Record<string, unknown>): void {
        fs.writeFileSync(path.join(this.dir, `Pulumi.${stack}.yaml`), stringify({ config }));
    }

    commit(message: string): void {
        this.git("add", "-A");
        this.git("commit", "--quiet", "-m", message);
    }

    /** Runs the real CLI entry point in this repository, as `npm run diff -- ...args` does. */
    diff(...args: string[]): { status: number; stdout: string; stderr: string } {
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", "diff", "cli.ts"), ...args], {
            cwd: this.dir,
            encoding: "utf8",
            env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
        });
        return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
