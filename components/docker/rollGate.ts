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
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { deadlineIn, done, notYet, pollUntil } from "../dynamic/poll";
import { LOG_LINES_READ, telling } from "../model/images";
import { dockerCli } from "./cli";

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
    const deadline = deadlineIn(state.timeoutSeconds);
    const failure = (container: string, what: string) => async (seen: string) => {
        const logs = await dockerCli(["logs", "--tail", String(LOG_LINES_READ), container]);
        return (
            `kafka-env: ${container} ${what} after ${state.timeoutSeconds}s (last check: ${seen.trim() || "none"}); ` +
            `its last log lines:\n${telling(logs.stdout + logs.stderr, 25)}`
        );
    };
    for (const name of state.healthy) {
        const healthy = async () => {
            const r = await dockerCli(["inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", name]);
            return r.code === 0 && r.stdout.trim() === "running healthy" ? done(name) : notYet(`${name}: ${r.stdout.trim() || r.stderr.trim()}`);
        };
        // `docker inspect` is cheap; the in-sync check below (a JVM) waits longer between runs.
        await pollUntil(deadline, `${name} to be healthy`, healthy, { everyMs: 500, timedOut: failure(name, "was not healthy") });
    }
    const inSync = state.inSync;
    if (!checkInSync || !inSync) return;
    // Twice in a row, a few seconds apart: one clean answer can predate a follower dropping out.
    let clean = 0;
    const twiceInSync = async () => {
        let seen = "";
        for (const name of inSync.containers) {
            const r = await dockerCli(["exec", name, "bash", "-c", inSync.command]);
            if (r.code !== 0) {
                seen = `${name}: exit ${r.code} ${r.stderr.trim().split("\n").slice(-2).join(" ")}`;
                continue;
            }
            const out = r.stdout.trim();
            clean = out ? 0 : clean + 1;
            if (clean >= 2) return done(name);
            return notYet(out ? `${name}: not in sync:\n${out}` : `${name}: every partition in sync`);
        }
        clean = 0;
        return notYet(seen);
    };
    await pollUntil(deadline, "every partition in sync", twiceInSync, { everyMs: 3000, timedOut: failure(state.container, "left partitions out of sync") });
}

const rollGateProvider = dynamicProvider<GateState & Record<string, unknown>>({
    id: (inputs) => inputs.container,
    create: async (inputs) => {
        // A new node or group holds no partitions yet: healthy is enough.
        if (inputs.waitOnCreate) await waitGate(inputs, false);
        return inputs;
    },
    update: async (_olds, news) => {
        await waitGate(news, true);
        return news;
    },
});

export class RollGate extends DynamicResource {
    constructor(name: string, args: RollGateInputs, opts?: pulumi.CustomResourceOptions) {
        super(rollGateProvider, "RollGate", name, { ...args }, opts);
    }
}
