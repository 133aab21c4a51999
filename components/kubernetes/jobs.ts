/**
 * The Jobs that run Kafka's tools inside the cluster, on the brokers' image: the topics Job (a
 * resource, when `kubernetes.topics` is `job`) and the day-2 tool Jobs (created and deleted by the
 * day-2 steps through tools.ts). One container shape for both.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedKubernetes } from "./config";
import { SKIP_AWAIT, labels, meta } from "./labels";
import { settingsHash } from "./nodes";
import { podMetadata, podScheduling } from "./placement";
import { podSecurityContext, restrictedContainer } from "./podSecurity";
import { toolsTlsVolume } from "./secrets";

/** A value from a Secret's key (`env.valueFrom.secretKeyRef`): how a tool Job gets a password. */
export interface SecretRef {
    readonly secret: string;
    readonly key: string;
}

/**
 * A container that runs the bash `script` with the image's Kafka tools, in a small JVM of its own;
 * with `toolsSecret`, the tools identity's files at `/etc/kafka/secrets` (`toolConnection({ job })`).
 */
export function toolContainer(
    name: string,
    image: string,
    script: string,
    env: Readonly<Record<string, string | SecretRef>> = {},
    toolsSecret?: pulumi.Input<string>,
) {
    const value = (n: string, v: string | SecretRef) =>
        typeof v === "string" ? { name: n, value: v } : { name: n, valueFrom: { secretKeyRef: { name: v.secret, key: v.key } } };
    return {
        name,
        image,
        command: ["bash", "-c", script],
        env: [{ name: "KAFKA_HEAP_OPTS", value: "-Xmx256m" }, ...Object.entries(env).map(([n, v]) => value(n, v))],
        ...(toolsSecret !== undefined ? { volumeMounts: [toolsTlsVolume(toolsSecret).mount] } : {}),
        resources: { requests: { cpu: "100m", memory: "384Mi" }, limits: { memory: "384Mi" } },
        // Pod Security restricted; the root stays writable (the tools write their logs' settings and /tmp).
        securityContext: restrictedContainer(false),
    };
}

/** The topic script's exit code for a refused change (see `topicScript`): the Job fails at once, no retry. */
export const TOPICS_REFUSED_EXIT_CODE = 3;

/** The topics Job's name: versioned by what it runs, like the settings ConfigMaps. */
export function topicsJobName(env: string, image: string, script: string): string {
    return `${env}-topics-${settingsHash({ image, script })}`;
}

/**
 * A Job that runs `script` (the topic script) with the Kafka image's tools, inside the cluster.
 * Its template is immutable, so a changed topic list is a new Job: named after its content, the
 * new one is created (and waited for) before the old one is deleted. A fixed name would need the
 * old Job deleted first, and a delete that is not awaited races the create.
 */
export function topicsJob(
    env: string,
    namespace: pulumi.Input<string>,
    image: string,
    script: string,
    k: ResolvedKubernetes,
    toolsSecret?: pulumi.Input<string>,
): k8s.batch.v1.JobArgs {
    return {
        metadata: { ...meta(env, namespace, topicsJobName(env, image, script), "topics"), annotations: SKIP_AWAIT },
        spec: {
            backoffLimit: 4,
            // Retrying cannot help a refusal (a partition decrease): fail the Job on that exit code.
            podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { containerName: "topics", operator: "In", values: [TOPICS_REFUSED_EXIT_CODE] } }] },
            template: {
                metadata: podMetadata(k, labels(env, "topics")),
                spec: {
                    restartPolicy: "Never",
                    enableServiceLinks: false,
                    automountServiceAccountToken: false,
                    securityContext: podSecurityContext(),
                    ...podScheduling(k),
                    containers: [toolContainer("topics", image, script, {}, toolsSecret)],
                    ...(toolsSecret !== undefined ? { volumes: [toolsTlsVolume(toolsSecret).volume] } : {}),
                },
            },
        },
    };
}

/** Where the day-2 tool Jobs run, and how long one may take. */
export interface JobPlace {
    /** As the provider's `kubeconfig` setting (path or contents); default KUBECONFIG, else ~/.kube/config. */
    readonly kubeconfig?: string;
    readonly context?: string;
    readonly namespace: string;
    /** The environment's name: the Jobs are `<env>-<what>-<time>`. */
    readonly env: string;
    /** The brokers' image (it has the tools). */
    readonly image: string;
    readonly timeoutSeconds: number;
    /** `kubernetes.pods`' node selector, tolerations and pull secrets (`podScheduling`), when any is set. */
    readonly scheduling?: Readonly<Record<string, unknown>>;
    /** A secured cluster's tools Secret (secrets.ts): the Jobs connect as the tools identity. */
    readonly toolsSecret?: string;
}

/** A day-2 tool Job: one try, no retries (a retried reassignment would plan on a stale view). */
export function toolJob(place: JobPlace, name: string, script: string, env: Readonly<Record<string, string | SecretRef>> = {}) {
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: meta(place.env, place.namespace, name, "day2"),
        spec: {
            backoffLimit: 0,
            template: {
                metadata: { labels: labels(place.env, "day2") },
                spec: {
                    restartPolicy: "Never",
                    enableServiceLinks: false,
                    automountServiceAccountToken: false,
                    securityContext: podSecurityContext(),
                    ...place.scheduling,
                    containers: [toolContainer("kafka-tool", place.image, script, env, place.toolsSecret)],
                    ...(place.toolsSecret !== undefined ? { volumes: [toolsTlsVolume(place.toolsSecret).volume] } : {}),
                },
            },
        },
    };
}
