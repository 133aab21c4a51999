/**
 * The dev stack's images: each is used as the stack names it when the engine has it or can pull it;
 * else its local equivalent (e2e/images/build.sh: the same contract, built from Debian packages and
 * Maven Central jars) is used, built first if need be, through a per-run copy of the stack file
 * (`pulumi up --config-file`); the committed Pulumi.dev.yaml is never edited. kafka-ui has no
 * equivalent (the e2e stand-in only answers health checks): without its image the environment runs
 * without kafka-ui, and says so.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { readStack } from "../diff/stack";
import type { Engine } from "./engine";
import { DevError, quiet, say, shown } from "./proc";

export type Role = "kafka" | "zookeeper" | "kafkaUi";

/** The local stand-ins e2e/images/build.sh makes, by repository and release line (e2e/images/README.md). */
const EQUIVALENTS: readonly { repo: RegExp; line: string; tag: string; target: string }[] = [
    { repo: /(^|\/)cp-kafka$/, line: "7.9", tag: "localhost/kafka-env/cp-kafka:7.9-local", target: "cp-kafka" },
    { repo: /(^|\/)cp-kafka$/, line: "7.8", tag: "localhost/kafka-env/cp-kafka:7.8-local", target: "cp-kafka-7.8" },
    { repo: /(^|\/)cp-zookeeper$/, line: "7.9", tag: "localhost/kafka-env/cp-zookeeper:7.9-local", target: "cp-zookeeper" },
    { repo: /(^|\/)kafka$/, line: "4.1", tag: "localhost/kafka-env/kafka:4.1-local", target: "kafka" },
    { repo: /(^|\/)kafka$/, line: "4.0", tag: "localhost/kafka-env/kafka:4.0-local", target: "kafka-4.0" },
];

/** The local stand-in for an image reference, if build.sh makes one. */
export function localEquivalent(ref: string): { tag: string; target: string } | undefined {
    const colon = ref.lastIndexOf(":");
    if (colon < 0 || ref.includes("@")) return undefined;
    const repo = ref.slice(0, colon);
    const line = /^\d+\.\d+/.exec(ref.slice(colon + 1))?.[0];
    const found = EQUIVALENTS.find((e) => e.repo.test(repo) && e.line === line && !repo.startsWith("localhost/"));
    return found && { tag: found.tag, target: found.target };
}

export interface ImageProbe {
    present(ref: string): boolean;
    /** Pulls `ref`; the reason when it cannot. */
    pull(ref: string): string | undefined;
}

export interface ImagePlan {
    /** Images to use instead of the stack's, by role. */
    readonly replace: Partial<Record<Role, string>>;
    readonly withoutKafkaUi: boolean;
    /** e2e/images/build.sh targets to build first. */
    readonly build: readonly string[];
    /** One line per fallback: what is used instead, and why. */
    readonly notes: readonly string[];
}

/** Decides, image by image, what the dev stack runs. `canBuild`: the engine shares Podman's storage. */
export function planImages(wanted: Partial<Record<Role, string>>, probe: ImageProbe, canBuild: boolean): ImagePlan {
    const replace: Partial<Record<Role, string>> = {};
    const build: string[] = [];
    const notes: string[] = [];
    let withoutKafkaUi = false;
    for (const role of ["zookeeper", "kafka", "kafkaUi"] as const) {
        const ref = wanted[role];
        if (ref === undefined || probe.present(ref)) continue;
        const reason = probe.pull(ref);
        if (reason === undefined) continue;
        const local = localEquivalent(ref);
        if (role === "kafkaUi" && local === undefined) {
            withoutKafkaUi = true;
            notes.push(
                `kafka-ui: ${ref} cannot be pulled (${reason}) and has no local equivalent (the e2e stand-in only answers health checks): the environment runs without kafka-ui`,
            );
            continue;
        }
        if (local === undefined) throw new DevError(`${ref} cannot be pulled (${reason}), and e2e/images/build.sh has no local equivalent of it`);
        if (!probe.present(local.tag)) {
            if (!canBuild)
                throw new DevError(`${ref} cannot be pulled (${reason}); its local equivalent is built with Podman, whose images this engine does not share`);
            if (!build.includes(local.target)) build.push(local.target);
        }
        replace[role] = local.tag;
        notes.push(
            `${ref} cannot be pulled (${reason}): using ${local.tag} instead, the same image contract built from Debian packages and Maven Central jars (e2e/images/README.md)`,
        );
    }
    return { replace, withoutKafkaUi, build, notes };
}

/** `docker image inspect` / `docker pull` against the engine in DOCKER_HOST. */
export const dockerProbe: ImageProbe = {
    present: (ref) => quiet("docker", ["image", "inspect", "--format", "{{.Id}}", ref]).code === 0,
    pull(ref) {
        say(`pulling ${ref} (once per machine)`);
        const r = quiet("docker", ["pull", "--quiet", ref], { timeoutSeconds: 600 });
        if (r.code === 0) return undefined;
        return pullFailure(r.stderr) || `docker pull exit ${r.code}`;
    },
};

/** Why a pull failed, in a few words: `registry-1.docker.io unreachable: no such host`, else the error's last line. */
export function pullFailure(stderr: string): string {
    const last = (stderr.trim().split("\n").filter(Boolean).pop() ?? "").replace(/^Error( response from daemon)?: /, "");
    const registry = /Get "https:\/\/([^/"]+)\/v2\/": (?:.*: )?([^:]+)$/.exec(last);
    if (registry) return `${registry[1]} unreachable: ${registry[2].trim()}`;
    return last.length > 160 ? `${last.slice(0, last.lastIndexOf(" ", 157))} ...` : last;
}

/**
 * What the stack in `Pulumi.<stack>.yaml` runs on this engine: builds local equivalents when allowed,
 * and returns the per-run stack file to deploy with (undefined: the committed one as it is).
 */
export function ensureImages(root: string, stack: string, engine: Engine, options: { build: boolean }): string | undefined {
    const file = readStack(root, stack);
    if (!file.plan) throw new DevError(`Pulumi.${stack}.yaml has problems:\n${(file.problems ?? []).map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
    const { images, kafkaUi } = file.plan.cluster;
    const wanted = { kafka: images.kafka, zookeeper: images.zookeeper, kafkaUi: kafkaUi.enabled ? images.kafkaUi : undefined };
    const plan = planImages(wanted, dockerProbe, engine.podman);
    plan.notes.forEach(say);
    if (plan.build.length > 0) {
        if (!options.build) throw new DevError(`the local images ${plan.build.join(", ")} are not built yet: npm run up builds them`);
        say(
            `building ${plan.build.join(", ")} with e2e/images/build.sh: usually 1-2.5 min the first time (Debian root file system, Kafka jars), seconds once cached`,
        );
        shown("building the local images", "bash", [path.join(root, "e2e/images/build.sh"), ...plan.build]);
    }
    return Object.keys(plan.replace).length > 0 || plan.withoutKafkaUi ? writeStackFile(root, stack, plan) : undefined;
}

/** A copy of `Pulumi.<stack>.yaml` (comments, salt and all) with the plan's images and kafka-ui setting. */
export function stackFileText(text: string, plan: Pick<ImagePlan, "replace" | "withoutKafkaUi">): string {
    const doc = parseDocument(text);
    const cluster = ["config", "kafka-env:cluster"];
    for (const [role, tag] of Object.entries(plan.replace)) doc.setIn([...cluster, "images", role], tag);
    if (plan.withoutKafkaUi) doc.setIn([...cluster, "kafkaUi", "enabled"], false);
    return `# Written by npm run up for this run only, from the committed stack file: images this machine can run.\n${doc.toString()}`;
}

function writeStackFile(root: string, stack: string, plan: ImagePlan): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-dev-"));
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, stackFileText(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8"), plan));
    return file;
}
