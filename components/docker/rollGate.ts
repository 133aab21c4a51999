/**
 * `RollGate`: a Pulumi dynamic resource that waits, through the `docker` CLI, until containers
 * are healthy and (optionally) until every partition is back in the ISR.
 *
 * The Docker adapter chains nodes through gates: node N+1's container depends on node N's gate,
 * whose inputs include node N's container id. When a change replaces every broker container,
 * Pulumi replaces node N (delete, then create under the same name), updates gate N, which waits
 * until node N is healthy and in sync, and only then reaches node N+1: a rolling restart, one
 * node at a time, with plain `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { dockerCli, inputsDiff } from "./cli";

export interface InSyncCheck {
    /** Containers to run the command in, first running one wins; a node that stayed up comes first. */
    readonly containers: readonly string[];
    /** A bash command that prints nothing when every partition is fully replicated and led. */
    readonly command: string;
}

export interface RollGateInputs {
    /** The container this gate stands behind (its last log lines explain a timeout). */
    readonly container: string;
    /** Its id (a group's ids, joined): a replaced container has a new id, which updates (and so re-runs) the gate. */
    readonly containerId: pulumi.Input<string>;
    /** Containers that must report `healthy`; on create only when `waitOnCreate`. */
    readonly healthy: readonly string[];
    readonly waitOnCreate: boolean;
    /** Checked after `healthy` on every update (a restart). */
    readonly inSync?: InSyncCheck;
    readonly timeoutSeconds: number;
    /** What the node runs with, so `pulumi preview --diff` shows why it restarts (node gates only). */
    readonly image?: string;
    readonly settings?: Readonly<Record<string, string>>;
}

interface GateState {
    readonly container: string;
    readonly healthy: readonly string[];
    readonly waitOnCreate: boolean;
    readonly inSync?: InSyncCheck;
    readonly timeoutSeconds: number;
}

async function waitGate(state: GateState, checkInSync: boolean): Promise<void> {
    const deadline = Date.now() + state.timeoutSeconds * 1000;
    // `docker inspect` is cheap; the in-sync check below (a JVM) waits longer between runs.
    const pause = () => new Promise((r) => setTimeout(r, 500));
    let last = "";
    const fail = async (container: string, what: string) => {
        const logs = await dockerCli(["logs", "--tail", "25", container]);
        throw new Error(
            `kafka-env: ${container} ${what} after ${state.timeoutSeconds}s (last check: ${last.trim() || "none"}); ` +
                `its last log lines:\n${(logs.stdout + logs.stderr).trim()}`,
        );
    };
    for (const name of state.healthy) {
        for (;;) {
            const r = await dockerCli(["inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", name]);
            last = `${name}: ${r.stdout.trim() || r.stderr.trim()}`;
            if (r.code === 0 && r.stdout.trim() === "running healthy") break;
            if (Date.now() > deadline) return fail(name, `was not healthy`);
            await pause();
        }
    }
    if (!checkInSync || !state.inSync) return;
    // Twice in a row, a few seconds apart: one clean answer can predate a follower dropping out.
    let clean = 0;
    while (clean < 2) {
        let ran = false;
        for (const name of state.inSync.containers) {
            const r = await dockerCli(["exec", name, "bash", "-c", state.inSync.command]);
            if (r.code !== 0) {
                last = `${name}: exit ${r.code} ${r.stderr.trim().split("\n").slice(-2).join(" ")}`;
                continue;
            }
            ran = true;
            last = r.stdout.trim() ? `${name}: not in sync:\n${r.stdout.trim()}` : `${name}: every partition in sync`;
            clean = r.stdout.trim() ? 0 : clean + 1;
            break;
        }
        if (!ran) clean = 0;
        if (clean >= 2) break;
        if (Date.now() > deadline) return fail(state.container, `left partitions out of sync`);
        await new Promise((r) => setTimeout(r, 3000));
    }
}

const rollGateProvider: pulumi.dynamic.ResourceProvider = {
    diff: (_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) => inputsDiff(olds, news),
    async create(inputs: GateState & Record<string, unknown>) {
        // A new node or group holds no partitions yet: healthy is enough.
        if (inputs.waitOnCreate) await waitGate(inputs, false);
        return { id: inputs.container, outs: inputs };
    },
    async update(_id: string, _olds: unknown, news: GateState & Record<string, unknown>) {
        await waitGate(news, true);
        return { outs: news };
    },
};

export class RollGate extends pulumi.dynamic.Resource {
    constructor(name: string, args: RollGateInputs, opts?: pulumi.CustomResourceOptions) {
        super(rollGateProvider, name, { ...args }, opts, "kafka-env", "RollGate");
    }
}
