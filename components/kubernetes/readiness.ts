/**
 * When is a workload ready, when has it failed for good, and what to tell the user then: pure
 * functions over the objects the API server returns (a StatefulSet, Deployment or Job and its
 * pods), used by the `WorkloadReady` waiter (`waiter.ts`) and tested without a cluster.
 *
 * Self-contained on purpose (no imports): the waiter runs inside Pulumi's dynamic-provider host,
 * which receives these functions serialized.
 */

export type WorkloadKind = "StatefulSet" | "Deployment" | "Job";

/** The parts of API objects read here. */
export interface KubeObject {
    metadata?: { name?: string; generation?: number; uid?: string };
    spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
    status?: Record<string, unknown>;
}

export interface ContainerStatus {
    name: string;
    ready?: boolean;
    restartCount?: number;
    state?: { waiting?: { reason?: string; message?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; message?: string } };
    lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string; message?: string } };
}

export interface Pod {
    metadata: { name: string };
    status?: {
        phase?: string;
        conditions?: { type: string; status: string; reason?: string; message?: string }[];
        initContainerStatuses?: ContainerStatus[];
        containerStatuses?: ContainerStatus[];
    };
}

export interface Progress {
    readonly done: boolean;
    /** Set when the workload itself reports failure (a failed Job, a Deployment past its deadline). */
    readonly failed?: string;
    /** One line: how far it got. */
    readonly summary: string;
}

/** Done when the controller has seen the latest spec and every replica runs it and is Ready. */
export function progress(kind: WorkloadKind, obj: KubeObject): Progress {
    const s = obj.status ?? {};
    const n = (v: unknown) => (typeof v === "number" ? v : 0);
    if (kind === "Job") {
        const conditions = (s.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[];
        const failed = conditions.find((c) => c.type === "Failed" && c.status === "True");
        const complete = conditions.some((c) => c.type === "Complete" && c.status === "True");
        return {
            done: complete,
            failed: failed ? `${failed.reason ?? "Failed"}: ${failed.message ?? ""}`.trim() : undefined,
            summary: `${n(s.succeeded)} succeeded, ${n(s.failed)} failed, ${n(s.active)} active`,
        };
    }
    const want = obj.spec?.replicas ?? 1;
    const seen = n(s.observedGeneration) >= (obj.metadata?.generation ?? 0);
    const summary = `${n(s.readyReplicas)} of ${want} ready, ${n(s.updatedReplicas)} updated`;
    if (kind === "Deployment") {
        const conditions = (s.conditions ?? []) as { type: string; reason?: string; message?: string }[];
        const stalled = conditions.find((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded");
        const done = seen && n(s.updatedReplicas) === want && n(s.availableReplicas) === want && n(s.replicas) === want;
        return { done, failed: stalled?.message, summary };
    }
    const rolled = !s.updateRevision || s.currentRevision === s.updateRevision;
    const done = seen && rolled && n(s.updatedReplicas) === want && n(s.readyReplicas) === want;
    return { done, summary: `${summary}${rolled ? "" : ` (rolling to ${String(s.updateRevision)})`}` };
}

/** Waiting reasons that do not fix themselves by waiting. */
const HOPELESS = ["ErrImageNeverPull", "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError"];
/** Crash loops tolerated before giving up: a node may crash while its peers start. */
export const CRASH_LOOPS_TOLERATED = 3;

/**
 * A node that stops itself for a reason waiting cannot fix (its data directory not writable) writes
 * a message starting with this to its termination log (podSecurity.ts's `STOP_PREFIX`).
 */
const STOPPED_BY_KAFKA_ENV = "kafka-env: ";

/** Why this pod cannot become ready by waiting longer, or undefined while it still can. */
export function hopeless(pod: Pod): string | undefined {
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
        const stopped = [c.state?.terminated?.message, c.lastState?.terminated?.message].find((m) => m?.startsWith(STOPPED_BY_KAFKA_ENV));
        if (stopped) return `${c.name}: ${stopped.trim()}`;
        const reason = c.state?.waiting?.reason;
        if (reason && HOPELESS.includes(reason)) return `${c.name}: ${reason}`;
        if (reason === "CrashLoopBackOff" && (c.restartCount ?? 0) >= CRASH_LOOPS_TOLERATED) {
            return `${c.name}: CrashLoopBackOff after ${c.restartCount} restarts`;
        }
    }
    return undefined;
}

export function podReady(pod: Pod): boolean {
    return (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/** One line per container: state, restarts, last exit. */
export function describeContainer(c: ContainerStatus, init = false): string {
    const st = c.state ?? {};
    const state = st.waiting
        ? `waiting: ${st.waiting.reason ?? ""}${st.waiting.message ? ` (${st.waiting.message})` : ""}`
        : st.terminated
          ? `terminated: ${st.terminated.reason ?? ""} exit ${st.terminated.exitCode ?? "?"}`
          : st.running
            ? `running${c.ready ? ", ready" : ", not ready"}`
            : "no state yet";
    const last = c.lastState?.terminated;
    const lastText = last ? `; last run ended ${last.reason ?? ""} exit ${last.exitCode ?? "?"}` : "";
    return `${init ? "init container" : "container"} ${c.name}: ${state}; ${c.restartCount ?? 0} restarts${lastText}`;
}

/** What is known about a pod without its logs: phase, conditions that are not met, containers. */
export function describePod(pod: Pod): string[] {
    const s = pod.status ?? {};
    const unmet = (s.conditions ?? [])
        .filter((c) => c.status !== "True" && (c.reason || c.message))
        .map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ""}${c.message ? `: ${c.message}` : ""}`);
    return [
        `pod ${pod.metadata.name}: ${s.phase ?? "no phase"}${unmet.length ? ` (${unmet.join("; ")})` : ""}`,
        ...(s.initContainerStatuses ?? []).map((c) => `  ${describeContainer(c, true)}`),
        ...(s.containerStatuses ?? []).map((c) => `  ${describeContainer(c)}`),
    ];
}

/** The container whose logs explain a pod best: a failing init container, else the first that restarted or is not ready. */
export function containerToRead(pod: Pod): { name: string; previous: boolean } | undefined {
    const s = pod.status ?? {};
    const init = (s.initContainerStatuses ?? []).find((c) => !c.state?.terminated || c.state.terminated.exitCode !== 0);
    const pick = init ?? (s.containerStatuses ?? []).find((c) => !c.ready) ?? s.containerStatuses?.[0];
    if (!pick) return undefined;
    // A container waiting to restart has no current log: read the run that ended.
    return { name: pick.name, previous: !pick.state?.running && !pick.state?.terminated && (pick.restartCount ?? 0) > 0 };
}

/** Advice for failures whose log says what they are. */
export function hints(logs: string): string[] {
    const out: string[] = [];
    if (/Permission denied|is not writable|Read-only file system/i.test(logs)) {
        out.push(
            "hint: a directory is not writable for the image's user. For a data volume: set kubernetes.storage.prepareVolumes true " +
                "(a root init container makes the data directories writable; it needs kubernetes.podSecurity.enforce baseline), " +
                "or use a StorageClass that applies fsGroup. For another directory of the image: set kubernetes.podSecurity.readOnlyRootFilesystem false.",
        );
    }
    if (/^refused: /m.test(logs)) out.push("hint: change the stack's topics back, or recreate the topic deliberately (its data is lost).");
    return out;
}

/** The whole message: what was waited for, how far it got, and per pod what it is doing and its last log lines. */
export function explain(what: string, reason: string, p: Progress, pods: readonly { pod: Pod; logs?: string; events?: readonly string[] }[]): string {
    const lines = [`${what}: ${reason}; ${p.summary}.`];
    const all: string[] = [];
    for (const { pod, logs, events } of pods) {
        lines.push(...describePod(pod));
        if (events?.length) lines.push("  events:", ...events.map((e) => `    ${e}`));
        if (logs !== undefined) {
            const tail = logs.trimEnd().split("\n");
            lines.push(`  last ${tail.length} log lines:`, ...tail.map((l) => `    | ${l}`));
            all.push(logs);
        }
    }
    if (pods.length === 0) lines.push("no pods found for it.");
    return [...lines, ...hints(all.join("\n"))].join("\n");
}
