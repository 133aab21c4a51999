/**
 * A program of your own with a Kafka environment in it: its own Kubernetes provider (for a cluster
 * it reaches with its own kubeconfig, or one it creates in the same stack), its own namespace for
 * its application, and one `KafkaEnvironment` that uses that provider instead of building one.
 *
 *   npm install kafka-env @pulumi/kubernetes @pulumi/pulumi
 *   pulumi config set kubeconfig ~/.kube/config   # and optionally `context`
 *   pulumi up
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KafkaEnvironment } from "kafka-env";

const config = new pulumi.Config();
const kubeconfig = config.get("kubeconfig");
const context = config.get("context");

// The program's own provider: every Kubernetes object below, kafka-env's included, goes through it.
const cluster = new k8s.Provider("apps", { kubeconfig, context });

const apps = new k8s.core.v1.Namespace("orders-app", { metadata: { name: "orders-app" } }, { provider: cluster });

const kafka = new KafkaEnvironment(
    "orders-kafka",
    {
        target: "kubernetes",
        namespace: "orders-kafka",
        cluster: {
            mode: "kraft",
            brokers: 3,
            topics: [{ name: "orders", partitions: 6, config: { "retention.ms": "604800000" } }],
            kafkaUi: { enabled: false },
        },
        kubernetes: {
            // kafka-env's readiness waiters and day-2 steps talk to the API server themselves.
            kubeconfig,
            context,
            networkPolicy: { clientNamespaces: ["orders-app"] },
        },
    },
    { providers: [cluster] },
);

export const appNamespace = apps.metadata.name;
/** What the application's pods connect to. */
export const bootstrapServers = kafka.internalBootstrapServers;
