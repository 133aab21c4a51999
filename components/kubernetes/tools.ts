/**
 * How the day-2 resources (drain, spread, unregister, version step) reach a Kubernetes cluster:
 * the API server (is a pod gone?), and `KafkaTools` where each run is a Job in the environment's
 * namespace, on the brokers' image (jobs.ts), that runs a bash script and is waited for like any
 * workload (`waitReady`: a failure names the pod, its state and its last log lines). Its log is
 * the answer; the Job is deleted afterwards, with its pod.
 *
 * A Job rather than an exec into a broker pod: the tool's JVM gets its own memory instead of
 * competing with the broker's under the pod's limit, and only the API server must be reachable
 * from where `pulumi` runs (as for the waiter), not the brokers.
 */
import { KafkaTools } from "../day2/tools";
import { AdminAccess } from "../model/admin";
import { isPasswordVariable } from "../model/credentialScript";
import { dnsLabel } from "../model/dnsLabel";
import { meta } from "./labels";
import { JobPlace, toolJob } from "./jobs";
import { KubeConnection, connect, get, request } from "./kubeapi";
import { waitReady } from "./waiter";
import { deadlineIn, done, notYet, pollUntil } from "../dynamic/poll";

async function logOf(conn: KubeConnection, ns: string, job: string): Promise<string> {
    const pods = await get<{ items?: { metadata: { name: string } }[] }>(
        conn,
        `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`job-name=${job}`)}`,
    );
    const pod = pods.items?.[0]?.metadata.name;
    return pod ? String(await get(conn, `/api/v1/namespaces/${ns}/pods/${pod}/log`, true)) : "";
}

/**
 * Runs `script` in a Job named `<env>-<what>-<time>` and returns its log; throws with the explanation
 * when it fails. Passwords among `vars` (`isPasswordVariable`) reach the script from a Secret of the
 * Job's own (`secretKeyRef`), deleted with it: never in the Job's spec.
 */
export async function runKafkaJob(place: JobPlace, what: string, script: string, vars: Readonly<Record<string, string>> = {}): Promise<string> {
    const conn = connect(place.kubeconfig, place.context);
    const ns = place.namespace;
    const name = `${place.env}-${dnsLabel(what)}-${Date.now().toString(36)}`.slice(0, 63).replace(/-+$/, "");
    const passwords = Object.fromEntries(Object.entries(vars).filter(([v]) => isPasswordVariable(v)));
    const secret = Object.keys(passwords).length > 0 ? `${name.slice(0, 58)}-vars` : undefined;
    if (secret) {
        const body = { apiVersion: "v1", kind: "Secret", metadata: meta(place.env, ns, secret, "day2"), type: "Opaque", stringData: passwords };
        await request(conn, "POST", `/api/v1/namespaces/${ns}/secrets`, body);
    }
    const env = Object.fromEntries(Object.entries(vars).map(([v, value]) => [v, secret && isPasswordVariable(v) ? { secret, key: v } : value]));
    try {
        await request(conn, "POST", `/apis/batch/v1/namespaces/${ns}/jobs`, toolJob(place, name, script, env));
        await waitReady({
            kubeconfig: place.kubeconfig,
            context: place.context,
            namespace: ns,
            kind: "Job",
            name,
            revision: name,
            timeoutSeconds: place.timeoutSeconds,
        });
        return await logOf(conn, ns, name);
    } finally {
        await request(conn, "DELETE", `/apis/batch/v1/namespaces/${ns}/jobs/${name}?propagationPolicy=Background`).catch(() => undefined);
        if (secret) await request(conn, "DELETE", `/api/v1/namespaces/${ns}/secrets/${secret}`).catch(() => undefined);
    }
}

/**
 * Kafka's tools in Jobs at `place`, reaching the brokers at `bootstrap` (INTERNAL addresses,
 * comma-separated), or as `admin` says on a secured cluster (`toolConnection({ job })`).
 */
export function jobTools(place: JobPlace, bootstrap: string, admin?: AdminAccess): KafkaTools {
    return { admin: admin ?? { bootstrap }, run: (what, script, vars) => runKafkaJob(place, what, script, vars) };
}

/** Resolves once pod `name` no longer exists (a StatefulSet scale-in removed it); throws at the timeout. */
export async function podGone(place: JobPlace, name: string): Promise<void> {
    const conn = connect(place.kubeconfig, place.context);
    const gone = async () => {
        try {
            const pod = await get<{ status?: { phase?: string } }>(conn, `/api/v1/namespaces/${place.namespace}/pods/${name}`);
            return notYet(`the pod is still there (${pod.status?.phase ?? "no phase"})`);
        } catch (e) {
            if ((e as { status?: number }).status === 404) return done(name);
            throw e;
        }
    };
    await pollUntil(deadlineIn(place.timeoutSeconds), `pod ${place.namespace}/${name} to be gone`, gone);
}

/** How the steps reach the cluster: Kafka's tools in Jobs, and the API server (replaced in unit tests). */
export interface ClusterHands {
    tools(place: JobPlace, bootstrap: string, admin?: AdminAccess): KafkaTools;
    podGone(place: JobPlace, pod: string): Promise<void>;
}

export const inCluster: ClusterHands = { tools: jobTools, podGone };
