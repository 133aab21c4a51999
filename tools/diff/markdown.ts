/**
 * The report as one pull-request comment: a summary table, every refused and dangerous change on
 * top, then one collapsible section per stack. Deterministic (same report, same bytes) and, once `fit` has run,
 * under GitHub's comment limit.
 */
import { compare } from "../../components/model/resolve";
import { SEVERITIES } from "../../components/model/verdict";
import { Operation } from "../graph/diff";
import { Report, ReportEntry, ReportSeverity, StackReport } from "./report";

/** The hidden line the commenting job finds its own comment by. */
export const COMMENT_MARKER = "<!-- kafka-env-diff -->";
/** GitHub refuses comments over 65,536 characters; stay well below. */
export const COMMENT_LIMIT = 60_000;

/** Most severe first: an invalid config, then the verdicts from `refused` down to `safe`. */
const ORDER: readonly ReportSeverity[] = ["invalid", ...[...SEVERITIES].reverse()];
const RANK = (s: ReportSeverity) => ORDER.indexOf(s);
const BADGE: Readonly<Record<ReportSeverity, string>> = {
    invalid: "❌ invalid",
    refused: "⛔ refused",
    dangerous: "🔴 dangerous",
    restart: "🟠 restart",
    safe: "🟢 safe",
};
const OPERATIONS: readonly Operation[] = ["create", "update", "replace", "delete"];
const SYMBOL: Readonly<Record<Operation, string>> = { create: "+", update: "~", replace: "+-", delete: "-" };

const bySeverity = (a: ReportEntry, b: ReportEntry) => RANK(a.severity) - RANK(b.severity) || compare(a.path, b.path);
/** Invalid, refused and dangerous: everything above `restart`. */
const needsAttention = (e: ReportEntry) => RANK(e.severity) < RANK("restart");
const count = (entries: readonly ReportEntry[], s: ReportSeverity) => entries.filter((e) => e.severity === s).length;

/** A table cell: code for values, `|` and line breaks escaped. */
function cell(text: string): string {
    return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A value as a reviewer reads it: objects (a whole topic) as `key: value` pairs, empty parts left out. */
function value(v: unknown): string {
    if (v === undefined) return "—";
    const text =
        typeof v === "string"
            ? v
            : v !== null && typeof v === "object" && !Array.isArray(v)
              ? Object.entries(v as Record<string, unknown>)
                    .filter(([, x]) => !(x !== null && typeof x === "object" && Object.keys(x).length === 0))
                    .map(([k, x]) => `${k}: ${JSON.stringify(x)}`)
                    .join(", ")
              : JSON.stringify(v);
    return text.includes("`") ? cell(text) : `\`${cell(text)}\``;
}

function resourceSummary(r: StackReport["resources"]): string {
    if ("skipped" in r) return "—";
    const counts = OPERATIONS.map((op) => [op, r.filter((c) => c.operation === op).length] as const).filter(([, n]) => n > 0);
    return counts.length === 0 ? "no changes" : counts.map(([op, n]) => `${n} to ${op}`).join(", ");
}

function summaryTable(report: Report): string[] {
    const rows = report.stacks.map((s) => {
        const n = (sev: ReportSeverity) => String(count(s.entries, sev));
        const result =
            count(s.entries, "invalid") > 0 ? "invalid config" : count(s.entries, "refused") > 0 ? "refused" : s.entries.length === 0 ? "no change" : "changed";
        return `| \`${s.stack}\` | ${result} | ${n("refused")} | ${n("dangerous")} | ${n("restart")} | ${n("safe")} | ${resourceSummary(s.resources)} |`;
    });
    return ["| stack | result | refused | dangerous | restart | safe | resources |", "| --- | --- | ---: | ---: | ---: | ---: | --- |", ...rows];
}

function attention(report: Report): string[] {
    const rows = report.stacks.flatMap((s) =>
        s.entries
            .filter(needsAttention)
            .sort(bySeverity)
            .map((e) => `| \`${s.stack}\` | ${BADGE[e.severity]} | \`${cell(e.path)}\` | ${value(e.before)} | ${value(e.after)} | ${cell(e.reason)} |`),
    );
    if (rows.length === 0) return [];
    return ["", "#### Needs attention", "", "| stack | | setting | before | after | why |", "| --- | --- | --- | --- | --- | --- |", ...rows];
}

function stackSection(s: StackReport): string[] {
    if (s.entries.length === 0 && !("skipped" in s.resources) && s.resources.length === 0) return [];
    const lines = [
        "",
        `<details><summary><b>${s.stack}</b>: ${s.entries.length} change${s.entries.length === 1 ? "" : "s"} in Kafka terms, ${s.restarts.length} node${s.restarts.length === 1 ? "" : "s"} restart, resources: ${resourceSummary(s.resources)}</summary>`,
        "",
    ];
    for (const [side, problems] of [
        ["base", s.problems.base],
        ["head", s.problems.head],
    ] as const) {
        if (problems)
            lines.push(
                `**The ${side} config is invalid** (${problems.length} problem${problems.length === 1 ? "" : "s"}):`,
                "",
                ...problems.map((p) => `- \`${cell(p.path)}\`: ${cell(p.message)}`),
                "",
            );
    }
    const above = s.entries.filter(needsAttention).length;
    if (above > 0) lines.push(`${above} ${above === 1 ? "change is" : "changes are"} listed under *Needs attention* above.`, "");
    const rest = s.entries.filter((e) => !needsAttention(e));
    if (rest.length > 0) {
        lines.push("| | setting | before | after | why |", "| --- | --- | --- | --- | --- |");
        lines.push(
            ...[...rest]
                .sort(bySeverity)
                .map((e) => `| ${BADGE[e.severity]} | \`${cell(e.path)}\` | ${value(e.before)} | ${value(e.after)} | ${cell(e.reason)} |`),
            "",
        );
    }
    if (s.restarts.length > 0) {
        lines.push("**Restarts**, in roll order (ZooKeeper, then controllers, then brokers):", "");
        lines.push(...s.restarts.map((r, i) => `${i + 1}. \`${r.node}\` (${r.roles.join(", ")}): ${cell(r.reasons.join("; "))}`), "");
    }
    lines.push(...resourceLines(s.resources), "</details>");
    return lines;
}

function resourceLines(r: StackReport["resources"]): string[] {
    if ("skipped" in r) return [`**Resource changes**: ${r.skipped}.`, ""];
    if (r.length === 0) return ["**Resource changes**: none.", ""];
    const types = [...new Set(r.map((c) => c.type))].sort(compare);
    const rows = types.map((t) => `| \`${t}\` | ${OPERATIONS.map((op) => r.filter((c) => c.type === t && c.operation === op).length || "").join(" | ")} |`);
    const list = r.map((c) => `${SYMBOL[c.operation].padEnd(2)} ${c.type} ${c.name}${c.inputs.length ? ` [${c.inputs.join(", ")}]` : ""}`);
    return [
        "**Resource changes** (each side's program under mocks; replacements as the resource types are known to replace):",
        "",
        "| type | create | update | replace | delete |",
        "| --- | ---: | ---: | ---: | ---: |",
        ...rows,
        "",
        "```diff",
        ...list,
        "```",
        "",
    ];
}

/** The whole report as markdown, not yet cut to the comment limit. */
export function renderMarkdown(report: Report): string {
    const all = report.stacks.flatMap((s) => s.entries);
    const totals = ORDER.filter((s) => count(all, s) > 0).map((s) => `${count(all, s)} ${s}`);
    const lines = [
        COMMENT_MARKER,
        "### kafka-env: what this change does to Kafka",
        "",
        `\`${report.base}\` → \`${report.head}\` · ${report.stacks.length} stack${report.stacks.length === 1 ? "" : "s"} · ${totals.join(", ") || "no changes"}`,
        "",
        ...summaryTable(report),
        ...attention(report),
        ...report.stacks.flatMap(stackSection),
    ];
    return `${lines.join("\n")}\n`;
}

/**
 * Cuts `markdown` at a line boundary so that it, its closing tags and `pointer` fit in `limit`
 * characters; unchanged when it fits already.
 */
export function fit(markdown: string, pointer: string, limit = COMMENT_LIMIT): string {
    if (markdown.length <= limit) return markdown;
    const footer = (shown: number) =>
        `\n**Truncated**: this comment shows ${shown.toLocaleString("en-US")} of ${markdown.length.toLocaleString("en-US")} characters. ${pointer}\n`;
    const reserve = footer(markdown.length).length + "```\n".length + "</details>\n".length * 16;
    const kept: string[] = [];
    let size = 0;
    for (const line of markdown.split("\n")) {
        if (size + line.length + 1 > limit - reserve) break;
        kept.push(line);
        size += line.length + 1;
    }
    const closing: string[] = [];
    if (kept.filter((l) => l.startsWith("```")).length % 2 === 1) closing.push("```");
    const open = kept.filter((l) => l.startsWith("<details>")).length - kept.filter((l) => l.startsWith("</details>")).length;
    for (let i = 0; i < open; i++) closing.push("</details>");
    return `${[...kept, ...closing].join("\n")}\n${footer(size)}`;
}
