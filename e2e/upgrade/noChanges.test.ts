/**
 * A stack deployed by an earlier revision previews with NO changes under this checkout's program:
 * the same URNs (types, names, parents, through aliases where a parent moved) and the same inputs.
 * The one exception: a base from before the `KafkaEnvironment` component previews its creation
 * (every other step `same`); after one `pulumi up`, nothing. The proof a refactor owes its users,
 * on real stacks: `pulumi up` from a worktree of KAFKA_ENV_BASE, then `pulumi preview
 * --expect-no-changes` from this checkout on the same state, then destroy.
 *
 * Not part of `npm run test:e2e` (it deploys every stack once more); run it by hand:
 *   KAFKA_ENV_BASE=<rev> bash e2e/run.sh e2e/upgrade/noChanges.test.ts
 *   KAFKA_ENV_BASE=<rev> KAFKA_ENV_NO_CHANGE_STACKS=e2e-k8s-kraft bash e2e/k8s/run.sh e2e/upgrade/noChanges.test.ts
 * KAFKA_ENV_NO_CHANGE_STACKS: comma-separated stack files (default e2e-zk,e2e-kraft).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR, PulumiStack } from "../lib/pulumi";

const BASE = process.env.KAFKA_ENV_BASE;
const STACKS = (process.env.KAFKA_ENV_NO_CHANGE_STACKS ?? "e2e-zk,e2e-kraft").split(",");

describe(`a stack deployed by ${BASE ?? "(KAFKA_ENV_BASE unset)"} previews with no changes here`, function () {
    this.timeout(30 * 60 * 1000);
    let baseDir: string;

    before(() => {
        assert.ok(BASE, "set KAFKA_ENV_BASE to the revision that deploys the stacks (a commit, tag or branch)");
        baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-base-"));
        const git = (...args: string[]) => execFileSync("git", args, { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"] });
        git("worktree", "add", "--detach", baseDir, BASE);
        console.log(`      ${BASE} = ${String(git("rev-parse", "--short", BASE)).trim()}, in ${baseDir}`);
        execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: baseDir, stdio: ["ignore", "ignore", "inherit"] });
    });

    after(() => {
        if (baseDir) execFileSync("git", ["worktree", "remove", "--force", baseDir], { cwd: PROJECT_DIR });
    });

    for (const name of STACKS) {
        it(`${name}: deployed by the base, no change previewed by this checkout`, () => {
            const stack = new PulumiStack(name);
            try {
                stack.projectDir = baseDir;
                stack.init();
                const up = stack.up();
                console.log(`      pulumi up (base): ${up.seconds.toFixed(0)} s`);
                stack.projectDir = PROJECT_DIR;
                // Since the KafkaEnvironment component, the stack's resources sit under it: a base without
                // it previews its one creation (everything else keeps its URN through aliases), then nothing.
                const baseHasComponent = fs.existsSync(path.join(baseDir, "components", "kafkaEnvironment.ts"));
                const started = Date.now();
                const steps = stack.previewSteps();
                console.log(`      preview --json (this checkout): ${((Date.now() - started) / 1000).toFixed(0)} s; ${JSON.stringify(steps)}`);
                assert.deepEqual(
                    steps.map(([op, type]) => [op, type]),
                    baseHasComponent ? [] : [["create", "kafka-env:index:KafkaEnvironment"]],
                    "every step but the KafkaEnvironment's creation is `same`",
                );
                if (!baseHasComponent) {
                    const adopt = stack.up();
                    console.log(`      pulumi up (this checkout, the KafkaEnvironment alone): ${adopt.seconds.toFixed(0)} s`);
                }
                const preview = stack.run(["preview", "--diff", "--expect-no-changes"], { allowFailure: true });
                const summary = preview.stdout.slice(preview.stdout.lastIndexOf("Resources:")).trim();
                console.log(`      preview (this checkout): ${preview.seconds.toFixed(0)} s, exit ${preview.code}; ${summary.replace(/\s+/g, " ")}`);
                assert.equal(preview.code, 0, `the preview shows changes:\n${preview.stdout.slice(-8000)}\n${preview.stderr.slice(-2000)}`);
            } finally {
                stack.projectDir = PROJECT_DIR;
                stack.editCluster((c) => (c.protectTopics = false));
                stack.up({ allowFailure: true });
                stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
                stack.remove();
            }
        });
    }
});
