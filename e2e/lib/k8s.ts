/**
 * kubectl against the e2e cluster (KUBECONFIG and KUBECTL are set by e2e/k8s/run.sh, whose tests
 * run inside the cluster's network namespace), a pod watch with arrival times, and a producer that
 * keeps writing with acks=all while something happens to the cluster.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function kubectl(args: string[], options: { allowFailure?: boolean } = {}): string {
    const r = spawnSync(process.env.KUBECTL ?? "kubectl", args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    if (r.status !== 0 && !options.allowFailure) throw new Error(`kubectl ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return r.stdout.trim();
}

export interface PodState {
    readonly name: string;
    readonly uid: string;
    readonly ready: boolean;
    readonly startTime?: string;
    readonly restarts: number;
    readonly env: Record<string, string>;
}

export function pods(namespace: string, selector?: string): PodState[] {
    const list = JSON.parse(kubectl(["get", "pods", "-n", namespace, "-o", "json", ...(selector ? ["-l", selector] : [])])) as { items: any[] };
    return list.items.map((p) => ({
        name: p.metadata.name,
        uid: p.metadata.uid,
        ready: (p.status.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True"),
        startTime: p.status.startTime,
        restarts: (p.status.containerStatuses ?? []).reduce((n: number, c: any) => n + c.restartCount, 0),
        env: Object.fromEntries((p.spec.containers[0].env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value])),
    }));
}

/**
 * A one-off pod that passes Pod Security `restricted` (the e2e namespaces enforce it): the images'
 * own user, no privileges. `kubectl run --overrides` replaces the container list: it names it all.
 */
function restrictedPod(name: string, image: string, script: string): string {
    return JSON.stringify({
        spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                {
                    name,
                    image,
                    imagePullPolicy: "Never",
                    command: ["bash", "-c", script],
                    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                },
            ],
        },
    });
}

/** Runs `script` with bash in a one-off pod of `image` (restricted); returns its log; throws with the log if it fails. */
export function runPod(namespace: string, name: string, image: string, script: string, timeoutSeconds = 300): string {
    kubectl(["delete", "pod", "-n", namespace, name, "--ignore-not-found", "--wait"]);
    kubectl(["run", name, "-n", namespace, `--image=${image}`, "--restart=Never", `--overrides=${restrictedPod(name, image, script)}`]);
    const phase = () => kubectl(["get", "pod", "-n", namespace, name, "-o", "jsonpath={.status.phase}"], { allowFailure: true });
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (!["Succeeded", "Failed"].includes(phase()) && Date.now() < deadline) spawnSync("sleep", ["2"]);
    const log = kubectl(["logs", "-n", namespace, name], { allowFailure: true });
    const final = phase();
    kubectl(["delete", "pod", "-n", namespace, name, "--wait=false"], { allowFailure: true });
    if (final !== "Succeeded") throw new Error(`pod ${name} ended ${final || "nowhere"} after at most ${timeoutSeconds} s:\n${log}`);
    return log;
}

export interface PodEvent {
    /** Seconds since the watch started. */
    readonly t: number;
    readonly name: string;
    readonly uid: string;
    readonly ready: string;
    readonly deleting: boolean;
}

/**
 * Watches the pods of a namespace from a separate process (so a blocking `pulumi up` meanwhile
 * does not delay the arrival times); `stop()` returns every change seen.
 */
export function watchPods(namespace: string): { stop: () => PodEvent[] } {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-watch-")), "events");
    const columns = 'NAME:.metadata.name,UID:.metadata.uid,READY:.status.conditions[?(@.type=="Ready")].status,DEL:.metadata.deletionTimestamp';
    // The API server ends a watch after a while (--min-request-timeout): watch again until stopped.
    const cmd = `while :; do "$0" get pods -n "$1" --watch --no-headers -o 'custom-columns=${columns}' 2>>"$2.err"; sleep 0.2; done | while read -r l; do echo "$(date +%s.%N) $l"; done > "$2"`;
    const child: ChildProcess = spawn("bash", ["-c", cmd, process.env.KUBECTL ?? "kubectl", namespace, file], { stdio: "ignore", detached: true });
    const start = Date.now() / 1000;
    return {
        stop: () => {
            spawnSync("sleep", ["1"]);
            try {
                if (child.pid) process.kill(-child.pid, "SIGTERM");
            } catch (e) {
                throw new Error(`the pod watch of ${namespace} ended early (exit ${child.exitCode}): ${e instanceof Error ? e.message : String(e)}`);
            }
            const lines = fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
            const errors = fs.existsSync(`${file}.err`) ? fs.readFileSync(`${file}.err`, "utf8").trim() : "";
            if (lines.length === 0)
                throw new Error(`the pod watch of ${namespace} saw nothing${errors ? `: ${errors.split("\n").slice(-3).join(" | ")}` : ""}`);
            fs.rmSync(path.dirname(file), { recursive: true, force: true });
            return lines.map((l) => {
                const [ts, name, uid, ready, del] = l.split(/\s+/);
                return { t: Number(ts) - start, name, uid, ready, deleting: del !== undefined && del !== "<none>" };
            });
        },
    };
}

/** Per pod instance (uid): when it was first seen terminating, and when the next instance was Ready. */
export function restarts(events: readonly PodEvent[], podName: string): { down: number; ready: number }[] {
    const own = events.filter((e) => e.name === podName);
    const out: { down: number; ready: number }[] = [];
    const uids = [...new Set(own.map((e) => e.uid))];
    for (let i = 1; i < uids.length; i++) {
        const down = own.find((e) => e.uid === uids[i - 1] && e.deleting)?.t ?? own.find((e) => e.uid === uids[i])!.t;
        const ready = own.find((e) => e.uid === uids[i] && e.ready === "True")?.t ?? Number.NaN;
        out.push({ down, ready });
    }
    return out;
}
