/**
 * Readings for the platform steps of the Kubernetes scenario: `/metrics` of a pod (scraped from the
 * cluster's network namespace, where the tests run), which ports a pod of another namespace reaches,
 * what `broker.rack` a broker started with, and the CPU one readiness check costs.
 */
import { kubectl, runPod } from "../lib/k8s";

/** The exporter's text of a pod's `/metrics`. */
export async function scrape(namespace: string, pod: string, port = 9404): Promise<string> {
    const ip = kubectl(["get", "pod", "-n", namespace, pod, "-o", "jsonpath={.status.podIP}"]);
    const r = await fetch(`http://${ip}:${port}/metrics`, { signal: AbortSignal.timeout(10000) });
    if (!r.ok) throw new Error(`${pod} /metrics: HTTP ${r.status}`);
    return r.text();
}

/** The sum of a metric's samples (every label set), or undefined when it is absent. */
export function metric(text: string, name: string): number | undefined {
    const values = text
        .split("\n")
        .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
        .map((l) => Number(l.slice(l.lastIndexOf(" ") + 1)));
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}

export const UNDER_REPLICATED = "kafka_server_replicamanager_underreplicatedpartitions";

/** Which of `targets` (`host:port`) a pod in `namespace` can open a TCP connection to within 5 s. */
export function reachable(namespace: string, image: string, targets: readonly string[]): Record<string, boolean> {
    const script = [
        `for t in ${targets.join(" ")}; do`,
        '  if timeout 5 bash -c "exec 3<>/dev/tcp/${t%:*}/${t##*:}" 2>/dev/null; then echo "$t open"; else echo "$t closed"; fi',
        "done",
    ].join("\n");
    const log = runPod(namespace, "e2e-reach", image, script, 180);
    return Object.fromEntries(targets.map((t) => [t, new RegExp(`^${t.replace(/\./g, "\\.")} open$`, "m").test(log)]));
}

/** The `broker.rack` a broker's image wrote into the properties Kafka started with (either image family). */
export function brokerRack(namespace: string, pod: string): string {
    const files = "/etc/kafka/kafka.properties /opt/kafka/config/server.properties";
    const line = kubectl(["exec", "-n", namespace, pod, "--", "bash", "-c", `grep -h '^broker.rack=' ${files} 2>/dev/null || true`]);
    return line.replace(/^broker\.rack=/, "");
}

/** CPU seconds (user + system) of `command` run with bash in a pod's container: the mean of `runs`. */
export function cpuSeconds(namespace: string, pod: string, command: string, runs = 3): number {
    const script = `for i in $(seq ${runs}); do bash -c "$0" >/dev/null 2>&1; done; times`;
    const out = kubectl(["exec", "-n", namespace, pod, "--", "bash", "-c", script, command]);
    // `times`: the shell's own line, then its children's: "0m1.234s 0m0.210s".
    const children = out.trim().split("\n").pop()!;
    const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    return (secs[0] + secs[1]) / runs;
}
