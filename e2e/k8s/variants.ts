/**
 * The clusters the Kubernetes scenario (e2e/k8s/scenario.test.ts) deploys, one stack a variant, and
 * the small readings its steps and its day-2 steps (e2e/k8s/day2.ts) share.
 */
import { Message, missing, sequence } from "../lib/kafka";

export const VARIANTS = [
    {
        mode: "zookeeper",
        stack: "e2e-k8s-zk",
        env: "kafka-e2e-zk",
        topics: "job",
        other: "zookeeper",
        clientImage: "localhost/kafka-env/cp-kafka:7.9-local",
        port: 30092,
        // SCRAM-SHA-512, TLS and ACLs (Pulumi.e2e-k8s-zk.yaml), users and ACLs through Jobs.
        secured: true,
    },
    // Starts on Kafka 4.0: the upgrade step takes it to 4.1.
    {
        mode: "kraft",
        stack: "e2e-k8s-kraft",
        env: "kafka-e2e-kraft",
        topics: "provider",
        other: "controller",
        clientImage: "localhost/kafka-env/kafka:4.1-local",
        port: 30192,
        // SCRAM-SHA-512, TLS and ACLs (Pulumi.e2e-k8s-kraft.yaml): every step logs in; the security checks run.
        secured: true,
    },
] as const;

export type Variant = (typeof VARIANTS)[number];

/** The first `produced` messages (all acknowledged) that `got` lacks; extras from failed sends are allowed, as in Kafka's verifier. */
export const unread = (got: readonly Message[], produced: number) => missing(sequence(0, produced), got);
export const component = (env: string, c: string) => `app.kubernetes.io/instance=${env},app.kubernetes.io/component=${c}`;
export const seconds = (s: number) => `${s.toFixed(0)} s`;
