/**
 * Running the commands `npm run up` / `down` are made of: quietly (output kept for the error) or
 * in front of the user, with the environment the earlier phases chose. Plain lines, no colours.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** A failure the user can act on: printed as it is, without a stack trace. */
export class DevError extends Error {}

export interface Ran {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** The environment every later command runs with; phases add to it. */
export const env: NodeJS.ProcessEnv = { ...process.env };

/** Runs `command`, output captured; never throws (a missing program is code 127). */
export function quiet(command: string, args: readonly string[], options: { timeoutSeconds?: number; cwd?: string } = {}): Ran {
    const r = spawnSync(command, [...args], {
        env,
        cwd: options.cwd,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutSeconds === undefined ? undefined : options.timeoutSeconds * 1000,
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") return { code: 127, stdout: "", stderr: `${command}: not found` };
    const timedOut = r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${timedOut ? `\n(no answer within ${options.timeoutSeconds} s)` : ""}` };
}

/** As `quiet`, but a failure is a `DevError` with `what` and the command's last lines. */
export function must(what: string, command: string, args: readonly string[], options: { cwd?: string } = {}): string {
    const r = quiet(command, args, options);
    if (r.code !== 0) throw new DevError(`${what} failed (${command} ${args.join(" ")}, exit ${r.code}):\n${tail(`${r.stdout}\n${r.stderr}`)}`);
    return r.stdout;
}

/** Runs `command` with the user's terminal (its output is the user's to read); throws on failure. */
export function shown(what: string, command: string, args: readonly string[], options: { stderrOnly?: boolean } = {}): string {
    const r = spawnSync(command, [...args], { env, stdio: ["inherit", options.stderrOnly ? "pipe" : "inherit", "inherit"], encoding: "utf8" });
    if (r.error) throw new DevError(`${what}: ${r.error.message}`);
    if (r.status !== 0) throw new DevError(`${what} failed (exit ${r.status}); its output is above`);
    return r.stdout ?? "";
}

/** The last lines of a command's output, for an error message. */
export function tail(text: string, lines = 15): string {
    return text.trim().split("\n").slice(-lines).join("\n");
}

/** The first executable `name` on `PATH` (as `env` has it), if any. */
export function which(name: string): string | undefined {
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const file = path.join(dir, name);
        try {
            fs.accessSync(file, fs.constants.X_OK);
            if (fs.statSync(file).isFile()) return file;
        } catch {
            // not here
        }
    }
    return undefined;
}

/** Prints one plain line. */
export function say(line: string): void {
    process.stdout.write(`${line}\n`);
}

/** Runs a phase and prints its time. */
export async function phase<T>(name: string, body: () => T | Promise<T>): Promise<T> {
    const start = Date.now();
    say(`== ${name}`);
    const result = await body();
    say(`== ${name}: ${seconds(start)} s`);
    return result;
}

export function seconds(since: number): number {
    return Math.round((Date.now() - since) / 1000);
}

/** `~/x` for a path under the home directory, for shorter lines. */
export function home(p: string): string {
    const h = process.env.HOME;
    return h && p.startsWith(`${h}/`) ? `~${p.slice(h.length)}` : p;
}
