/**
 * Whether clients must authenticate on the listeners a cluster exposes beyond its own network: the
 * rule that rates exposing brokers (Docker's bind address, Kubernetes' external Services) as
 * dangerous without it. kafka-env's listeners have no authentication yet; the security settings
 * (SASL/SCRAM, TLS) answer here when they exist.
 */
import { ResolvedConfig } from "./resolve";

/** How clients authenticate on the external listener (a sentence), or undefined when they do not. */
export function clientAuthentication(config: ResolvedConfig): string | undefined {
    void config;
    return undefined;
}
