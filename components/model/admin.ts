/**
 * How Kafka's command-line tools reach a cluster as its admin: where they connect and, once the
 * cluster has security, the client properties every tool call gets. One place, so that SCRAM or
 * TLS credentials (issue 22) reach every tool call at once: the day-2 steps' (drain, spread,
 * unregister, version step) on both targets, the topics script's, and the brokers' in-sync checks
 * (the Docker roll gates', Kubernetes' readiness probe). `adminTool` (images.ts) runs a tool so;
 * `toolConnection` (toolConnection.ts) says, from the model, what the access is at each place.
 */

export interface AdminAccess {
    /** `host:port,...` of a listener the tools reach (the INTERNAL one), or a shell word that expands to it. */
    readonly bootstrap: string;
    /**
     * A client properties file where the tools run (`security.protocol`, `sasl.*`, `ssl.*`), given
     * to every tool call. Absent while security is off: every listener is PLAINTEXT.
     */
    readonly commandConfig?: string;
    /** `--bootstrap-controller` to ask a KRaft controller (`kafka-metadata-quorum`). Default: `--bootstrap-server`. */
    readonly bootstrapOption?: "--bootstrap-server" | "--bootstrap-controller";
}

/** The options that make a tool connect as the admin (`kafka-cluster` names its properties file `--config`). */
export function adminArgs(access: AdminAccess, tool: string): string {
    const flag = tool === "kafka-cluster" ? "--config" : "--command-config";
    const option = access.bootstrapOption ?? "--bootstrap-server";
    return `${option} ${access.bootstrap}${access.commandConfig === undefined ? "" : ` ${flag} ${access.commandConfig}`}`;
}
