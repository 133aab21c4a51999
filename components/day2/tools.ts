/**
 * `KafkaTools`: Kafka's command-line tools, run against one cluster as its admin. The one seam
 * through which the day-2 steps (steps.ts) talk to Kafka, whatever the target: `docker exec` in a
 * broker container (docker/tools.ts), a short-lived Job in the namespace (kubernetes/tools.ts), a
 * stand-in in the tests. Who the tools are (the admin's credentials, once the cluster has
 * security) is part of `admin`, so it reaches every step at once.
 */
import { AdminAccess } from "../model/admin";

export interface KafkaTools {
    /** How the tools reach the cluster as its admin (`adminTool` and `adminArgs` render it). */
    readonly admin: AdminAccess;
    /**
     * Runs the bash `script` where the tools are, with `vars` set for it (a plan too large for an
     * argument). Resolves to what it printed; rejects naming `what` ran and its last output lines.
     */
    run(what: string, script: string, vars?: Readonly<Record<string, string>>): Promise<string>;
}
