/**
 * Who may reach each port of a node, read from the model's listeners, so a listener added later is
 * covered without a change here: INTERNAL serves clients inside the cluster, EXTERNAL clients outside
 * it, and every other listener (CONTROLLER, a replication listener) the cluster's own nodes only.
 * The NetworkPolicies (networkPolicies.ts) and the bootstrap Service read it.
 */
import { Listener } from "../model";

/** `clients`: pods of the namespace and the listed ones; `outside`: the external Services' sources; `cluster`: the cluster's Kafka nodes. */
export type Audience = "clients" | "outside" | "cluster";

const AUDIENCE: Readonly<Record<string, Audience>> = { INTERNAL: "clients", EXTERNAL: "outside" };

export function audience(listener: Pick<Listener, "name">): Audience {
    return AUDIENCE[listener.name] ?? "cluster";
}

/** The distinct ports of `listeners` whose audience is `who`, sorted. */
export function portsFor(listeners: readonly Listener[], who: Audience): number[] {
    return [...new Set(listeners.filter((l) => audience(l) === who).map((l) => l.port))].sort((a, b) => a - b);
}
