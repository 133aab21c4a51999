/**
 * The Kubernetes scenario on a secured stack (issue 22): how its one-off client pods log in (a
 * client properties file and the CA, written by the pod's own script), and where the shared
 * security checks (e2e/security/checks.ts) run Kafka's tools: one-off pods in the environment's
 * namespace, which reach INTERNAL by the pods' names and EXTERNAL by the node's NodePorts.
 */
import { runPod } from "../lib/k8s";
import { Brokers } from "../lib/kafka";
import { ClientLogin, clientProperties } from "../lib/security";
import { ToolRunner, resultsOf, toolScript } from "../security/toolChecks";

/** Where a one-off pod writes its files (the image's root is writable, `/` is not the pod user's). */
const DIR = "/tmp/checks";

/** Bash that writes `content` to `file`, whatever it holds. */
const write = (file: string, content: string) => `echo '${Buffer.from(content).toString("base64")}' | base64 -d > ${file}`;

/** A Kafka client's login in a one-off pod: lines that write its files, and the tools' options that read them. */
export interface PodLogin {
    readonly lines: string[];
    /** `--command-config <file>`, or nothing without a login. */
    readonly commandConfig: string;
    /** `--producer.config <file>` / `--consumer.config <file>`, or nothing. */
    readonly producerConfig: string;
    readonly consumerConfig: string;
}

export function podLogin(login: ClientLogin | undefined): PodLogin {
    if (!login) return { lines: [], commandConfig: "", producerConfig: "", consumerConfig: "" };
    const file = `${DIR}/client.properties`;
    return {
        lines: [`mkdir -p ${DIR}`, write(`${DIR}/ca.crt`, login.ca ?? ""), write(file, clientProperties(login, `${DIR}/ca.crt`))],
        commandConfig: `--command-config ${file}`,
        producerConfig: `--producer.config ${file}`,
        consumerConfig: `--consumer.config ${file}`,
    };
}

/** The bootstrap servers with the login, when there is one. */
export function withLogin(servers: string, login: ClientLogin | undefined): Brokers {
    return login ? { servers, login } : servers;
}

/** The security checks' tool runs: a one-off pod of `image` in `namespace` per batch, its files under /tmp/checks. */
export function podToolRunner(namespace: string, image: string): ToolRunner {
    return (where, files, checks) => {
        const local = (text: string) => text.split("/checks/").join(`${DIR}/`);
        const setup = [`mkdir -p ${DIR}`, ...Object.entries(files).map(([name, content]) => write(`${DIR}/${name}`, local(content)))];
        const script = toolScript(checks.map((c) => ({ ...c, command: local(c.command) })));
        return resultsOf(runPod(namespace, `e2e-checks-${where}`, image, [...setup, script].join("\n"), 900), checks);
    };
}
