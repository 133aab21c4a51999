/**
 * The comment stays under GitHub's limit however large the change (2,000 topics here), keeps the
 * summary and the dangerous changes first, closes what it opened, and points at the full report.
 */
import { strict as assert } from "node:assert";
import { compareEnvironments } from "../../components/changes";
import { planEnvironment } from "../../components/plan";
import { COMMENT_LIMIT, COMMENT_MARKER, fit, renderMarkdown } from "../../tools/diff/markdown";
import { Report } from "../../tools/diff/report";

function plan(retentionMs: string, topics: number) {
    const cluster = {
        name: "kafka-big",
        topics: Array.from({ length: topics }, (_, i) => ({
            name: `events.tenant-${String(i).padStart(4, "0")}`,
            partitions: 12,
            config: { "retention.ms": retentionMs },
        })),
    };
    return planEnvironment({ values: { cluster }, stack: "big" });
}

function report(topics: number): Report {
    const entries = compareEnvironments(plan("604800000", topics), plan("86400000", topics));
    const resources = entries.map((e) => ({
        type: "kafka:index/topic:Topic",
        name: `kafka-big-topics-${e.path}`,
        operation: "update" as const,
        inputs: ["config"],
    }));
    return { base: "origin/main (0123456789ab)", head: "working tree", stacks: [{ stack: "big", entries, restarts: [], problems: {}, resources }] };
}

const POINTER = "The full report is `diff-report.md` in the artifacts of [this workflow run](https://example.invalid/run/1).";

describe("the PR comment's size", () => {
    const full = renderMarkdown(report(2000));
    const comment = fit(full, POINTER);

    it("a 2,000-topic change renders far beyond the limit in full", () => {
        assert.ok(full.length > 4 * COMMENT_LIMIT, String(full.length));
        assert.equal((full.match(/🔴 dangerous/g) ?? []).length, 2000, "every change, in the attention table");
    });

    it("the comment is cut under 60,000 characters, with the summary and dangerous changes first", () => {
        assert.ok(comment.length <= COMMENT_LIMIT, String(comment.length));
        assert.ok(comment.startsWith(`${COMMENT_MARKER}\n`));
        assert.match(comment, /\| `big` \| changed \| 0 \| 2000 \| 0 \| 0 \| 2000 to update \|/);
        assert.match(
            comment,
            /\| `big` \| 🔴 dangerous \| `cluster\.topics\["events\.tenant-0000"\]\.config\["retention\.ms"\]` \| `604800000` \| `86400000` \| retention 7 d → 1 d/,
        );
    });

    it("says it is truncated and where the full report is", () => {
        assert.ok(comment.endsWith(`characters. ${POINTER}\n`));
        assert.match(comment, /\*\*Truncated\*\*: this comment shows [\d,]+ of [\d,]+ characters\./);
    });

    it("closes every collapsible section and code block it opened", () => {
        const count = (re: RegExp) => (comment.match(re) ?? []).length;
        assert.equal(count(/^<details>/gm), count(/^<\/details>/gm));
        assert.equal(count(/^```/gm) % 2, 0);
    });

    it("closes a section and a code block when the cut falls inside them", () => {
        const lines = Array.from({ length: 200 }, (_, i) => `+  kafka:index/topic:Topic t-${i}`);
        const cut = fit(["<details><summary>s</summary>", "", "```diff", ...lines, "```", "</details>", ""].join("\n"), POINTER, 2000);
        assert.ok(cut.length <= 2000);
        assert.match(cut, /t-\d+\n```\n<\/details>\n\n\*\*Truncated\*\*/);
    });

    it("leaves a comment that fits untouched", () => {
        const small = renderMarkdown(report(3));
        assert.equal(fit(small, POINTER), small);
    });

    it("renders the same report to the same bytes", () => {
        assert.equal(renderMarkdown(report(2000)), full);
    });
});
