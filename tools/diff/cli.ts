/**
 * `npm run diff`: what the change between two revisions does to each stack's Kafka environment,
 * offline (no backend, no passphrase, no engine, no network). See README, "Reviewing changes".
 *
 * Exit status: 0, or 2 with `--fail-on dangerous` when a change is refused or dangerous or a head
 * config is invalid, or 1 when the tool itself fails (the reason on stderr).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ToolError } from "./errors";
import { COMMENT_LIMIT, fit, renderMarkdown } from "./markdown";
import { Report, runDiff } from "./report";

const USAGE = `usage: npm run diff -- [--base REV] [--head REV] [--stack NAME]... [--format markdown|json]
                      [--fail-on dangerous] [--output FILE] [--report-url URL] [--no-resources]
  --base REV         the revision to compare against (default: origin/main)
  --head REV         the revision to compare (default: the working tree)
  --stack NAME       only this stack (repeatable; default: every Pulumi.<stack>.yaml on either side)
  --format F         markdown (default: a PR comment under ${COMMENT_LIMIT.toLocaleString("en-US")} characters) or json
  --fail-on dangerous  exit 2 when a change is refused or dangerous, or a head config is invalid
  --output FILE      also write the full report (never truncated) to FILE
  --report-url URL   where the full report can be found, named when the comment is truncated
  --no-resources     skip the resource changes (the programs under mocks)`;

interface Options {
    base: string;
    head?: string;
    stacks: string[];
    format: "markdown" | "json";
    failOnDangerous: boolean;
    output?: string;
    reportUrl?: string;
    resources: boolean;
}

function options(argv: string[]): Options {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                base: { type: "string", default: "origin/main" },
                head: { type: "string" },
                stack: { type: "string", multiple: true, default: [] },
                format: { type: "string", default: "markdown" },
                "fail-on": { type: "string" },
                output: { type: "string" },
                "report-url": { type: "string" },
                "no-resources": { type: "boolean", default: false },
                help: { type: "boolean", default: false },
            },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (e) {
        throw new ToolError(`${(e as Error).message}\n${USAGE}`);
    }
    if (parsed.help) {
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
    }
    if (parsed.format !== "markdown" && parsed.format !== "json") throw new ToolError(`--format ${parsed.format}: use markdown or json`);
    if (parsed["fail-on"] !== undefined && parsed["fail-on"] !== "dangerous")
        throw new ToolError(`--fail-on ${parsed["fail-on"]}: the only level is "dangerous"`);
    return {
        base: parsed.base,
        head: parsed.head,
        stacks: parsed.stack,
        format: parsed.format,
        failOnDangerous: parsed["fail-on"] === "dangerous",
        output: parsed.output,
        reportUrl: parsed["report-url"],
        resources: !parsed["no-resources"],
    };
}

/** The JSON report: one object per change, `before`/`after` null when absent. */
export function renderJson(report: Report): string {
    const rows = report.stacks.flatMap((s) =>
        s.entries.map((e) => ({ stack: s.stack, path: e.path, before: e.before ?? null, after: e.after ?? null, severity: e.severity, reason: e.reason })),
    );
    return `${JSON.stringify(rows, null, 2)}\n`;
}

function pointer(o: Options): string {
    const file = o.output ? `\`${path.basename(o.output)}\`` : "the report written with `--output`";
    return o.reportUrl ? `The full report is ${file} in the artifacts of [this workflow run](${o.reportUrl}).` : `The full report is ${file}.`;
}

/** One run of the CLI: the exit status and what goes to stdout (the full report is written to `--output`). */
export async function run(argv: string[], cwd: string): Promise<{ status: number; stdout: string }> {
    const o = options(argv);
    const report = await runDiff({ cwd, base: o.base, head: o.head, stacks: o.stacks, resources: o.resources });
    const full = o.format === "json" ? renderJson(report) : renderMarkdown(report);
    if (o.output) fs.writeFileSync(path.resolve(cwd, o.output), full);
    const failing = report.stacks.some((s) =>
        s.entries.some((e) => e.severity === "refused" || e.severity === "dangerous" || (e.severity === "invalid" && e.reason.startsWith("head:"))),
    );
    return { status: o.failOnDangerous && failing ? 2 : 0, stdout: o.format === "json" ? full : fit(full, pointer(o)) };
}

if (require.main === module) {
    run(process.argv.slice(2), process.cwd()).then(
        ({ status, stdout }) => {
            process.stdout.write(stdout);
            process.exitCode = status;
        },
        (e: unknown) => {
            process.stderr.write(`kafka-env diff: ${e instanceof ToolError ? e.message : ((e as Error).stack ?? String(e))}\n`);
            process.exitCode = 1;
        },
    );
}
