/**
 * The metrics agent's jar where `pulumi` runs (`cluster.metrics.agentJar`), read by both targets:
 * Docker uploads it, Kubernetes puts it in ConfigMaps. A jar that is not the expected release is
 * used with a warning; a missing one is an error that says how to get it.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { METRICS_AGENT } from "./model/metrics";

/** The agent's jar, or an error that names the setting and how to get the jar. */
export function readAgentJar(path: string): Buffer {
    if (!fs.existsSync(path)) {
        throw new Error(
            `cluster.metrics.agentJar: ${path} does not exist; fetch the agent with \`mvn dependency:get -Dartifact=${METRICS_AGENT.artifact}\` (the default path), or set agentJar to where it is`,
        );
    }
    const jar = fs.readFileSync(path);
    const digest = createHash("sha256").update(jar).digest("hex");
    if (digest !== METRICS_AGENT.sha256) {
        void pulumi.log.warn(`cluster.metrics.agentJar: ${path} is not ${METRICS_AGENT.artifact} (sha256 ${digest}); its rules format may differ`);
    }
    return jar;
}

/** The jar's sha256, hex: what makes a changed jar a new upload. */
export function agentDigest(jar: Buffer): string {
    return createHash("sha256").update(jar).digest("hex");
}
