/**
 * Validates Kubernetes objects against the Kubernetes API's JSON schemas, offline and strictly
 * (unknown fields are errors), with kubernetes-validate (installed by tests/tools/).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";

const VALIDATOR = path.join(__dirname, "..", "..", ".tools", "kubernetes-validate", "bin", "kubernetes-validate");
/** The API version the manifests must be valid for. */
export const KUBERNETES_VERSION = "1.32.0";

/** Returns the validator's complaints (empty when every object is valid). */
export function schemaErrors(objects: readonly object[]): string[] {
    if (!fs.existsSync(VALIDATOR)) {
        throw new Error(`${VALIDATOR} is missing: run 'bash tests/tools/install-kubernetes-validate.sh' (npm test does)`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-manifests-"));
    try {
        const files = objects.map((o, i) => {
            const file = path.join(dir, `${String(i).padStart(3, "0")}.yaml`);
            fs.writeFileSync(file, stringify(o));
            return file;
        });
        const run = spawnSync(VALIDATOR, ["--strict", "--quiet", "-k", KUBERNETES_VERSION, ...files], { encoding: "utf8" });
        if (run.error) throw run.error;
        const lines = `${run.stdout}\n${run.stderr}`.split("\n").filter((l) => /ERROR|WARN|Error/.test(l));
        if (run.status !== 0 && lines.length === 0) throw new Error(`kubernetes-validate failed: ${run.stderr}`);
        return lines;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
