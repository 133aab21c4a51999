/**
 * `npm run lint`: no source file over 300 lines. Sources are the files git tracks or would track
 * (ignored ones left out) ending in .ts, .js, .mjs, .cjs, .sh, .go or .py, and scripts without an
 * extension that start with `#!`; Markdown, JSON (package-lock.json) and other data are not code.
 * Exit status 1 with each file over the limit.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const LIMIT = 300;
const SOURCE = /\.(ts|js|mjs|cjs|sh|go|py)$/;

function isSource(root: string, file: string): boolean {
    if (SOURCE.test(file)) return true;
    if (path.basename(file).includes(".")) return false;
    const fd = fs.openSync(path.join(root, file), "r");
    try {
        const head = Buffer.alloc(2);
        return fs.readSync(fd, head, 0, 2, 0) === 2 && head.toString() === "#!";
    } finally {
        fs.closeSync(fd);
    }
}

function lineCount(text: string): number {
    if (text.length === 0) return 0;
    return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

function main(): number {
    const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" })
        .split("\0")
        .filter((f) => f !== "" && fs.existsSync(path.join(root, f)) && fs.statSync(path.join(root, f)).isFile())
        .filter((f) => isSource(root, f))
        .sort();
    const lines = new Map(files.map((f) => [f, lineCount(fs.readFileSync(path.join(root, f), "utf8"))]));
    const problems = files
        .filter((f) => lines.get(f)! > LIMIT)
        .map((f) => `${f}: ${lines.get(f)} lines, over the limit of ${LIMIT}; split it by what its parts do`);
    for (const p of problems) console.error(p);
    if (problems.length === 0) console.log(`${files.length} source files, none over ${LIMIT} lines`);
    return problems.length === 0 ? 0 : 1;
}

process.exitCode = main();
