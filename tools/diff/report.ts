/**
 * The report of one diff: for every stack present on either side, its changes in Kafka terms, the
 * nodes they restart, and the resource changes. Everything is sorted, nothing is timestamped.
 *
 * Which code evaluates what:
 * - Kafka terms: this checkout's model reads *both* sides' stack files. Both are then judged by the
 *   same rules and compared in one shape, even when the base's model had another (older) shape;
 *   and the rules are the ones the reviewer's branch will deploy with.
 * - Resource changes: *each side's own* program, under mocks, because that is what `pulumi up`
 *   registered then and will register now (a refactoring of the program shows here, not above).
 */
import * as path from "node:path";
import { compareEnvironments } from "../../components/changes";
import { Problem } from "../../components/model";
import { passwordChangeReason } from "../../components/model/accessChanges";
import { NodeRestart, restartPlan } from "../../components/model/restarts";
import { compare } from "../../components/model/resolve";
import { Change, Severity } from "../../components/model/verdict";
import { ToolError } from "./errors";
import { Side, openSide, repositoryRoot, stackNames } from "./git";
import { ResourceChange, compareGraphs } from "../graph/diff";
import { evaluateGraph } from "./resources";
import { SECRET_PLACEHOLDER, StackFile, readStack } from "./stack";

/** `invalid`: a side's config is refused by the model (its problems are listed). */
export type ReportSeverity = Severity | "invalid";

export interface ReportEntry extends Omit<Change, "severity"> {
    readonly severity: ReportSeverity;
}

export interface StackReport {
    readonly stack: string;
    readonly entries: readonly ReportEntry[];
    /** Nodes that restart, in roll order (both sides valid). */
    readonly restarts: readonly NodeRestart[];
    /** The model's problems per side, when a side's config is invalid. */
    readonly problems: { readonly base?: readonly Problem[]; readonly head?: readonly Problem[] };
    /** Resource changes, or why they were not computed. */
    readonly resources: readonly ResourceChange[] | { readonly skipped: string };
}

export interface Report {
    readonly base: string;
    readonly head: string;
    readonly stacks: readonly StackReport[];
}

export interface DiffOptions {
    /** Any directory inside the repository. */
    readonly cwd: string;
    readonly base: string;
    /** Undefined: the working tree. */
    readonly head?: string;
    /** Undefined or empty: every stack file present on either side. */
    readonly stacks?: readonly string[];
    /** Evaluate the resource graphs under mocks (default true). */
    readonly resources?: boolean;
}

/** The `node_modules` this tool runs from: linked into checked-out revisions so they load the same runtime. */
function nodeModules(): string {
    return path.resolve(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", "..");
}

export async function runDiff(options: DiffOptions): Promise<Report> {
    const root = repositoryRoot(options.cwd);
    const sides: Side[] = [];
    try {
        const base = openSide(root, options.base, "--base", nodeModules());
        sides.push(base);
        const head = openSide(root, options.head, "--head", nodeModules());
        sides.push(head);
        const present = [...new Set([...stackNames(base.dir), ...stackNames(head.dir)])].sort(compare);
        const wanted = options.stacks?.length ? [...new Set(options.stacks)].sort(compare) : present;
        const missing = wanted.filter((s) => !present.includes(s));
        if (missing.length > 0)
            throw new ToolError(`--stack ${missing.join(", ")}: no Pulumi.<stack>.yaml on either side; stacks present: ${present.join(", ") || "none"}`);
        const stacks: StackReport[] = [];
        for (const stack of wanted) stacks.push(await stackReport(base, head, stack, options.resources ?? true));
        return { base: base.label, head: head.label, stacks };
    } finally {
        for (const side of sides) side.remove();
    }
}

async function stackReport(base: Side, head: Side, stack: string, withResources: boolean): Promise<StackReport> {
    const has = (side: Side) => stackNames(side.dir).includes(stack);
    const before = has(base) ? readStack(base.dir, stack) : undefined;
    const after = has(head) ? readStack(head.dir, stack) : undefined;
    const entries: ReportEntry[] = [...secretChanges(before, after)];
    if (!before && after)
        entries.push({ path: "stack", before: undefined, after: `Pulumi.${stack}.yaml`, severity: "safe", reason: `new stack${summary(after)}` });
    if (before && !after) {
        entries.push({
            path: "stack",
            before: `Pulumi.${stack}.yaml`,
            after: undefined,
            severity: "safe",
            reason: "stack file removed: nothing is destroyed by this change; an environment deployed from it stays running, unmanaged (run pulumi destroy on it first if it should go)",
        });
    }
    for (const [side, file] of [
        ["base", before],
        ["head", after],
    ] as const) {
        for (const p of file?.problems ?? [])
            entries.push({ path: p.path, before: undefined, after: undefined, severity: "invalid", reason: `${side}: ${p.message}` });
    }
    let restarts: NodeRestart[] = [];
    if (before?.plan && after?.plan) {
        entries.push(...compareEnvironments(before.plan, after.plan));
        restarts = restartPlan(before.plan.model, after.plan.model);
    }
    return {
        stack,
        entries: entries.sort((a, b) => compare(a.path, b.path) || compare(a.severity, b.severity)),
        restarts,
        problems: { base: before?.problems, head: after?.problems },
        resources: withResources ? await resourceChanges(base, head, before, after) : { skipped: "not evaluated (--no-resources)" },
    };
}

function summary(file: StackFile): string {
    const p = file.plan;
    if (!p) return "";
    return `: ${p.target}, ${p.cluster.mode} mode, ${p.cluster.brokers} broker${p.cluster.brokers === 1 ? "" : "s"}, ${p.cluster.topics.length} topic${p.cluster.topics.length === 1 ? "" : "s"}`;
}

/** Secrets are compared by ciphertext and never shown: only whether each was added, changed or removed. */
function secretChanges(before?: StackFile, after?: StackFile): ReportEntry[] {
    const [b, a] = [before?.secrets ?? {}, after?.secrets ?? {}];
    const paths = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort(compare);
    return paths
        .filter((p) => b[p] !== a[p] && before && after)
        .map((p) => {
            const change = b[p] === undefined ? "added" : a[p] === undefined ? "removed" : "changed";
            return {
                path: p,
                before: b[p] === undefined ? undefined : SECRET_PLACEHOLDER,
                after: a[p] === undefined ? undefined : SECRET_PLACEHOLDER,
                severity: "safe" as const,
                reason:
                    passwordChangeReason(p, change) ??
                    `secret ${change} (compared as ciphertext, never decrypted; re-encrypting the same value also shows here)`,
            };
        });
}

async function resourceChanges(base: Side, head: Side, before?: StackFile, after?: StackFile): Promise<StackReport["resources"]> {
    if ((before && !before.plan) || (after && !after.plan)) return { skipped: "not evaluated: a side's config is invalid" };
    if (!after) return { skipped: "none: without its stack file the stack is not deployed, nor destroyed" };
    const graph = async (side: Side, file?: StackFile) => (file ? await evaluateGraph(side.dir, file) : { resources: [] });
    const [b, a] = [await graph(base, before), await graph(head, after)];
    if ("error" in b) return { skipped: `not evaluated: the base program failed under mocks (${b.error})` };
    if ("error" in a) return { skipped: `not evaluated: the head program failed under mocks (${a.error})` };
    return compareGraphs(b.resources, a.resources);
}
