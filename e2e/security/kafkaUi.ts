/**
 * kafka-ui's connection as it has it: the client properties its env gives (Spring's relaxed names,
 * `KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG` -> `sasl.jaas.config`) and the CA file uploaded into
 * its container, copied out: a Kafka tool given both connects exactly as kafka-ui would.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker } from "../lib/docker";

const PREFIX = "KAFKA_CLUSTERS_0_PROPERTIES_";

export function kafkaUiProperties(container: string, env: Readonly<Record<string, string>>): { dir: string; user: string; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-ui-"));
    fs.chmodSync(dir, 0o755);
    const properties = Object.entries(env)
        .filter(([k]) => k.startsWith(PREFIX))
        .map(([k, v]) => `${k.slice(PREFIX.length).toLowerCase().replace(/_/g, ".")}=${v}`);
    fs.writeFileSync(path.join(dir, "client.properties"), `${properties.join("\n")}\n`, { mode: 0o644 });
    const ca = env[`${PREFIX}SSL_TRUSTSTORE_LOCATION`];
    if (ca) {
        docker(["cp", `${container}:${ca}`, path.join(dir, path.basename(ca))]);
        fs.chmodSync(path.join(dir, path.basename(ca)), 0o644);
    }
    const user = /username="([^"]+)"/.exec(env[`${PREFIX}SASL_JAAS_CONFIG`] ?? "")?.[1] ?? "no login";
    return { dir, user, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
