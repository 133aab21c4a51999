/**
 * The PR workflows' structure: the diff is computed without secrets in the `pull_request` run and
 * posted by a `workflow_run` job that never checks out the pull request's code; the `pulumi
 * preview` jobs run only where a backend is configured.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { COMMENT_MARKER } from "../../tools/diff/markdown";

const DIR = path.join(__dirname, "..", "..", ".github", "workflows");
const read = (file: string) => ({
    text: fs.readFileSync(path.join(DIR, file), "utf8"),
    doc: parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Record<string, any>,
});
const steps = (job: Record<string, any>) => job.steps as Record<string, any>[];
const uses = (job: Record<string, any>, action: string) => steps(job).filter((s) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`));

describe("PR workflows", () => {
    const preview = read("preview.yml");
    const comment = read("diff-comment.yml");

    it("preview runs on pull_request (never pull_request_target) with a read-only token", () => {
        assert.deepEqual(Object.keys(preview.doc.on), ["pull_request"]);
        assert.deepEqual(preview.doc.permissions, { contents: "read" });
    });

    it("the diff job uses no secret, runs npm run diff against the base branch, and uploads the comment", () => {
        const job = preview.doc.jobs.diff;
        assert.ok(!JSON.stringify(job).includes("secrets."), "no secret in the diff job");
        assert.equal(job.permissions, undefined, "inherits the read-only token");
        assert.equal(uses(job, "actions/checkout")[0].with["fetch-depth"], 0, "the base branch's history is there");
        const run = steps(job)
            .map((s) => s.run ?? "")
            .join("\n");
        assert.match(run, /npm run --silent diff -- --base "origin\/\$BASE_REF" --output diff\/diff-report\.md .*> diff\/comment\.md/);
        assert.match(run, /echo "\$PR_NUMBER" > diff\/pr-number/);
        assert.deepEqual(uses(job, "actions/upload-artifact")[0].with.name, "kafka-env-diff");
    });

    it("the pulumi preview jobs run only when the backend secret is set", () => {
        assert.match(preview.doc.jobs.backend.steps[0].env.PULUMI_BACKEND_URL, /secrets\.PULUMI_BACKEND_URL/);
        assert.equal(preview.doc.jobs["preview-dev"].if, "needs.backend.outputs.configured == 'true'");
        const k8s = preview.doc.jobs["preview-k8s"];
        assert.equal(steps(k8s).find((s) => s.id === "kube")?.if, "needs.backend.outputs.configured == 'true'");
        for (const name of ["preview-dev", "preview-k8s"]) assert.deepEqual(preview.doc.jobs[name].needs, ["test", "backend"]);
    });

    it("the comment is posted by a workflow_run job that never checks out the pull request's code", () => {
        assert.deepEqual(comment.doc.on, { workflow_run: { workflows: [preview.doc.name], types: ["completed"] } });
        assert.deepEqual(comment.doc.permissions, {});
        const jobs = Object.values(comment.doc.jobs as Record<string, any>);
        assert.equal(jobs.length, 1);
        const [job] = jobs;
        assert.deepEqual(job.permissions, { actions: "read", "pull-requests": "write" });
        for (const s of steps(job)) {
            assert.ok(!String(s.uses ?? "").startsWith("actions/checkout"), "no checkout");
            assert.ok(!/\bnpm\b|\bnode\b|\bgit\b/.test(String(s.run ?? "")), "runs nothing from the pull request");
        }
        assert.ok(!comment.text.includes("head_branch") && !comment.text.includes("head.ref"), "never refers to the PR's branch");
    });

    it("the comment job reads the artifact the diff job uploads, checks the head commit, and finds its comment by the tool's marker", () => {
        const job = Object.values(comment.doc.jobs as Record<string, any>)[0];
        const download = uses(job, "actions/download-artifact")[0].with;
        assert.equal(download.name, "kafka-env-diff");
        assert.equal(download["run-id"], "${{ github.event.workflow_run.id }}");
        const script = uses(job, "actions/github-script")[0];
        assert.equal(script.env.MARKER, COMMENT_MARKER);
        assert.equal(script.env.HEAD_SHA, "${{ github.event.workflow_run.head_sha }}");
        for (const needed of ['"diff/pr-number"', '"diff/comment.md"', "pr.head.sha !== process.env.HEAD_SHA", "updateComment", "createComment"]) {
            assert.ok(script.with.script.includes(needed), needed);
        }
        // github-script runs the script as the body of an async function: it must at least parse as one.
        const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => unknown;
        assert.doesNotThrow(() => new AsyncFunction("require", "github", "context", "core", script.with.script));
    });
});
