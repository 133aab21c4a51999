/**
 * The two sides of a diff as directories: the working tree itself, or a revision checked out
 * into a throw-away worktree (`git worktree add --detach`), removed again when the diff is done.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ToolError } from "./errors";

export interface Side {
    /** How the report names this side: the revision as given and its commit, or "working tree". */
    readonly label: string;
    /** The repository's files at this side. */
    readonly dir: string;
    readonly remove: () => void;
}

function git(cwd: string, args: string[]): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** The top of the repository that holds `cwd`. */
export function repositoryRoot(cwd: string): string {
    try {
        return git(cwd, ["rev-parse", "--show-toplevel"]);
    } catch {
        throw new ToolError(`${cwd} is not inside a git repository`);
    }
}

/**
 * A side of the diff: `rev` undefined is the working tree. `nodeModules` is linked into a
 * checked-out revision so its program loads the same Pulumi runtime as this tool (and its mocks).
 */
export function openSide(root: string, rev: string | undefined, option: string, nodeModules: string): Side {
    if (rev === undefined) return { label: "working tree", dir: root, remove: () => undefined };
    let commit: string;
    try {
        commit = git(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
    } catch {
        const hint = rev.startsWith("origin/") ? ` (fetch it first: git fetch origin ${rev.slice("origin/".length)})` : "";
        throw new ToolError(`${option} ${rev}: no such revision in ${root}${hint}; pass ${option} <branch, tag or commit>`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-diff-"));
    git(root, ["worktree", "add", "--detach", "--quiet", dir, commit]);
    fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
    return {
        label: `${rev} (${commit.slice(0, 12)})`,
        dir,
        remove: () => {
            fs.rmSync(path.join(dir, "node_modules"), { force: true });
            git(root, ["worktree", "remove", "--force", dir]);
        },
    };
}

/** Stack names with a `Pulumi.<stack>.yaml` file at the top of `dir`. */
export function stackNames(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined);
}
