/**
 * The labels every kafka-env object in a namespace carries (Kubernetes' recommended
 * `app.kubernetes.io/*`), and the metadata built from them: one set, for the workloads, their
 * Services and budgets, kafka-ui, the topics Job and the day-2 tool Jobs.
 */
import * as pulumi from "@pulumi/pulumi";

export function labels(env: string, component: string): Record<string, string> {
    return {
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/instance": env,
        "app.kubernetes.io/name": component === "zookeeper" ? "zookeeper" : component === "kafka-ui" ? "kafka-ui" : "kafka",
        "app.kubernetes.io/part-of": "kafka-env",
    };
}

export function meta(env: string, namespace: pulumi.Input<string>, name: pulumi.Input<string>, component: string) {
    return { name, namespace, labels: labels(env, component) };
}

/** The `WorkloadReady` waiter does the waiting (and explains failures); the provider does not. */
export const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };
