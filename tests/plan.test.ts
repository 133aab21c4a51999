/**
 * The stack's keys outside `kafka-env:cluster` (components/plan.ts): a namespace that is
 * `kafka-env` mistyped, and a `kafka-env` key that belongs one level down. Word for word.
 */
import { strict as assert } from "node:assert";
import { Problem } from "../components/model";
import { planProblems } from "./planProblems";

const problemsOf = (values: Record<string, unknown>, otherKeys: string[] = []) => planProblems({ values, stack: "dev", otherKeys });

const wrongNamespace = (full: string, namespace: string, key: string): Problem => ({
    path: full,
    message: `is in the config namespace "${namespace}", which kafka-env does not read (the stack would get the defaults); did you mean "kafka-env:${key}"?`,
});

describe("the stack's keys", () => {
    it("refuses a namespace that is kafka-env mistyped, naming the right key", () => {
        const keys = ["kafka_env:cluster", "kafkaenv:target", "Kafka-Env:namespace", "kafka-evn:kubernetes", "KAFKA.ENV:cluster"];
        assert.deepEqual(problemsOf({}, keys), [
            wrongNamespace("kafka_env:cluster", "kafka_env", "cluster"),
            wrongNamespace("kafkaenv:target", "kafkaenv", "target"),
            wrongNamespace("Kafka-Env:namespace", "Kafka-Env", "namespace"),
            wrongNamespace("kafka-evn:kubernetes", "kafka-evn", "kubernetes"),
            wrongNamespace("KAFKA.ENV:cluster", "KAFKA.ENV", "cluster"),
        ]);
    });

    it("leaves Pulumi's and the providers' namespaces alone", () => {
        const keys = ["pulumi:tags", "docker:host", "kubernetes:context", "kubernetes:namespace", "kafka:bootstrapServers", "kafka-ui:port", "aws:region"];
        assert.deepEqual(problemsOf({}, keys), []);
    });

    it("names the object a kafka-env key belongs in", () => {
        assert.deepEqual(problemsOf({ brokers: 3, storage: { size: "1Gi" } }), [
            { path: "brokers", message: "unknown key; brokers belongs inside kafka-env:cluster (pulumi config set --path cluster.brokers VALUE)" },
            { path: "storage", message: "unknown key; storage belongs inside kafka-env:kubernetes (pulumi config set --path kubernetes.storage VALUE)" },
        ]);
    });

    it("still suggests the near key first, and lists the keys when nothing is near", () => {
        assert.deepEqual(problemsOf({ clusters: {}, zzz: 1 }), [
            { path: "clusters", message: 'unknown key; did you mean "kafka-env:cluster"?' },
            {
                path: "zzz",
                message: "unknown key; known keys are target, cluster, kafkaUiPassword, userPasswords, caCertificate, caKey, namespace, kubernetes",
            },
        ]);
    });
});
