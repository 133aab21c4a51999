/**
 * How Kafka's command-line tools reach a cluster as its admin: where they connect and, once the
 * cluster has security, the client properties every tool call gets. One place, so that SCRAM or
 * TLS credentials (issue 22) reach every tool call at once: the day-2 steps' (drain, spread,
 * unregister, version step) on both targets, the topics script's, and the brokers' in-sync checks
 * (the Docker roll gates', Kubernetes' readiness probe). `adminTool` (images.ts) runs a tool so.
 */

export interface AdminAccess {
    /** `host:port,...` of a listener the tools reach (the INTERNAL one), or a shell word that expands to it. */
    readonly bootstrap: string;
    /**
     * A client properties file where the tools run (`security.protocol`, `sasl.*`, `ssl.*`), given
     * to every tool call. Absent today: every listener is PLAINTEXT, without authentication.
     */
    readonly commandConfig?: string;
}

/** The options that make a tool connect as the admin (`kafka-cluster` names its properties file `--config`). */
export function adminArgs(access: AdminAccess, tool: string): string {
    const flag = tool === "kafka-cluster" ? "--config" : "--command-config";
    return `--bootstrap-server ${access.bootstrap}${access.commandConfig === undefined ? "" : ` ${flag} ${access.commandConfig}`}`;
}
