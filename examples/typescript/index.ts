/**
 * A program of your own with a Kafka environment in it: its own provider, its own resources, and
 * one `KafkaEnvironment` that uses that provider instead of building one.
 *
 * - `target: kubernetes` (the default): its Kubernetes provider (a cluster it reaches with its own
 *   kubeconfig, or one it creates in the same stack) and its application's namespace.
 * - `target: docker`: its Docker provider (the local engine, or `dockerHost`) and its application's network.
 *
 *   npm install && pulumi config set kubeconfig ~/.kube/config && pulumi up
 */
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KafkaEnvironment, KafkaEnvironmentArgs } from "kafka-env";

const config = new pulumi.Config();
const kubeconfig = config.get("kubeconfig");
const context = config.get("context");

const cluster: KafkaEnvironmentArgs["cluster"] = {
    mode: "kraft",
    brokers: config.getNumber("brokers") ?? 3,
    listeners: { externalPort: config.getNumber("externalPort") ?? 9092 },
    topics: [{ name: "orders", partitions: 6, config: { "retention.ms": "604800000" } }],
    // Topics are protected from deletion unless this is false.
    protectTopics: config.getBoolean("protectTopics"),
    kafkaUi: { enabled: false },
    // Default: apache/kafka from Docker Hub; the end-to-end test gives its local stand-in.
    images: { kafka: config.get("kafkaImage") },
};

function onKubernetes() {
    // The program's own provider: every Kubernetes object below, kafka-env's included, goes through it.
    const provider = new k8s.Provider("apps", { kubeconfig, context });
    const apps = new k8s.core.v1.Namespace("orders-app", { metadata: { name: "orders-app" } }, { provider });
    const kafka = new KafkaEnvironment(
        "orders-kafka",
        {
            target: "kubernetes",
            namespace: "orders-kafka",
            cluster,
            // kafka-env's readiness waiters and day-2 steps talk to the API server themselves.
            kubernetes: { kubeconfig, context, networkPolicy: { clientNamespaces: ["orders-app"] } },
        },
        { providers: [provider] },
    );
    return { app: apps.metadata.name, kafka };
}

function onDocker() {
    const provider = new docker.Provider("engine", { host: config.get("dockerHost") });
    const apps = new docker.Network("orders-app", { name: "orders-app" }, { provider });
    const kafka = new KafkaEnvironment("orders-kafka", { target: "docker", cluster }, { providers: [provider] });
    return { app: apps.name, kafka };
}

const { app, kafka } = config.get("target") === "docker" ? onDocker() : onKubernetes();

/** The application's namespace (Kubernetes) or network (Docker). */
export const appPlace = app;
/** What clients where `pulumi` runs connect to (Docker: the host's ports). */
export const bootstrapServers = kafka.bootstrapServers;
/** What the application's pods or containers connect to. */
export const internalBootstrapServers = kafka.internalBootstrapServers;
