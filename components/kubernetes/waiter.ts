/**
 * `WorkloadReady`: waits until a StatefulSet, Deployment or Job is ready (or complete) after every
 * `pulumi up` that changed it, and when it is not, fails with a message that names each pod that
 * is not ready, its state and its last log lines (the provider's own await says only that it
 * timed out). The workloads themselves carry `pulumi.com/skipAwait`: this resource does the
 * waiting, reading the API server directly.
 *
 * It fails early, without waiting out the timeout, when a pod cannot get better by waiting (an
 * image that cannot be pulled, a container crash-looping several times) or the workload reports
 * failure (a failed Job). A dynamic resource: the Pulumi CLI needs `pulumi-resource-pulumi-nodejs`
 * (shipped in node_modules/@pulumi/pulumi) on PATH.
 */
import * as pulumi from "@pulumi/pulumi";
import { KubeConnection, connect, get } from "./kubeapi";
import { KubeObject, Pod, Progress, WorkloadKind, containerToRead, explain, hopeless, podReady, progress } from "./readiness";
import { Poll, deadlineIn, done, notYet, pollUntil } from "../dynamic/poll";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { LOG_LINES_READ, telling } from "../model/images";

export interface WorkloadReadyArgs {
    /** As the provider's `kubeconfig` setting (path or contents); default KUBECONFIG, else ~/.kube/config. */
    readonly kubeconfig?: pulumi.Input<string>;
    readonly context?: pulumi.Input<string>;
    readonly namespace: pulumi.Input<string>;
    readonly kind: WorkloadKind;
    readonly name: pulumi.Input<string>;
    /** Changes whenever the workload's spec does (its generation, or a Job's uid): each change is waited for. */
    readonly revision: pulumi.Input<string>;
    readonly timeoutSeconds: number;
}

interface Inputs {
    kubeconfig?: string;
    context?: string;
    namespace: string;
    kind: WorkloadKind;
    name: string;
    revision: string;
    timeoutSeconds: number;
}

const LOG_LINES = 25;
const PODS_EXPLAINED = 6;

async function logsOf(conn: KubeConnection, ns: string, pod: Pod): Promise<string | undefined> {
    const c = containerToRead(pod);
    if (!c) return undefined;
    const q = `container=${encodeURIComponent(c.name)}&tailLines=${LOG_LINES_READ}${c.previous ? "&previous=true" : ""}`;
    try {
        return telling(String(await get(conn, `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log?${q}`, true)), LOG_LINES);
    } catch (e) {
        return `(no logs of ${c.name}: ${e instanceof Error ? e.message : String(e)})`;
    }
}

async function eventsOf(conn: KubeConnection, ns: string, pod: Pod): Promise<string[]> {
    try {
        type Event = { type?: string; reason?: string; message?: string; count?: number; lastTimestamp?: string };
        const list = await get<{ items?: Event[] }>(
            conn,
            `/api/v1/namespaces/${ns}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${pod.metadata.name}`)}`,
        );
        const items = list.items ?? [];
        return items
            .filter((e) => e.type === "Warning")
            .sort((a, b) => String(a.lastTimestamp).localeCompare(String(b.lastTimestamp)))
            .slice(-4)
            .map((e) => `${e.reason ?? ""}${e.count && e.count > 1 ? ` (x${e.count})` : ""}: ${(e.message ?? "").trim()}`);
    } catch {
        return [];
    }
}

/** What a poll saw of a workload that is not ready yet. */
interface Seen {
    readonly progress: Progress;
    readonly pods: readonly Pod[];
}

/** Polls until ready; throws the explanation on failure, on a hopeless pod, or at the timeout. */
export async function waitReady(inputs: Inputs): Promise<void> {
    const { namespace: ns, kind, name } = inputs;
    const conn = connect(inputs.kubeconfig, inputs.context);
    const group = kind === "Job" ? "batch/v1" : "apps/v1";
    const plural = kind === "Job" ? "jobs" : kind === "StatefulSet" ? "statefulsets" : "deployments";
    const start = Date.now();
    const explained = async (seen: Seen, reason: string) => {
        const pods = seen.pods.filter((pod) => kind === "Job" || !podReady(pod)).slice(-PODS_EXPLAINED);
        const details = await Promise.all(pods.map(async (pod) => ({ pod, logs: await logsOf(conn, ns, pod), events: await eventsOf(conn, ns, pod) })));
        return explain(`${kind} ${ns}/${name}`, reason, seen.progress, details);
    };
    const ready = async (): Promise<Poll<undefined, Seen>> => {
        const obj = await get<KubeObject>(conn, `/apis/${group}/namespaces/${ns}/${plural}/${name}`);
        const p = progress(kind, obj);
        if (p.done) return done(undefined);
        const selector = Object.entries(obj.spec?.selector?.matchLabels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(",");
        const pods = (await get<{ items?: Pod[] }>(conn, `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`)).items ?? [];
        const stuck = pods.map(hopeless).find((r) => r !== undefined);
        if (p.failed !== undefined || stuck !== undefined) {
            const seconds = Math.round((Date.now() - start) / 1000);
            throw new Error(await explained({ progress: p, pods }, p.failed ?? `gave up after ${seconds} s, ${stuck}`));
        }
        return notYet({ progress: p, pods });
    };
    await pollUntil(deadlineIn(inputs.timeoutSeconds), `${kind} ${ns}/${name} to be ready`, ready, {
        everyMs: 3000,
        timedOut: (seen) => explained(seen, `not ready after ${inputs.timeoutSeconds} s`),
    });
}

const provider = dynamicProvider<Inputs>({
    id: (inputs) => `${inputs.kind}/${inputs.namespace}/${inputs.name}`,
    create: async (inputs) => {
        await waitReady(inputs);
        return inputs;
    },
    update: async (_olds, news) => {
        await waitReady(news);
        return news;
    },
});

export class WorkloadReady extends DynamicResource {
    constructor(name: string, args: WorkloadReadyArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, "WorkloadReady", name, { ...args, kubeconfig: args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig) }, opts);
    }
}
