/**
 * kafka-env: a Kafka environment as code. Reads `kafka-env:*` config, deploys the cluster to the
 * configured target, and exports how to reach it. See README.md for the config keys.
 */
import "./components/compileCache";
import { deployEnvironment } from "./components/environment";

const environment = deployEnvironment();

/** Bootstrap servers reachable from the host (or from outside the cluster). */
export const bootstrapServers = environment.bootstrapServers;
/** Bootstrap servers on the container network (or inside the Kubernetes cluster). */
export const internalBootstrapServers = environment.internalBootstrapServers;
/** kafka-ui's address, when enabled. */
export const kafkaUiUrl = environment.kafkaUiUrl;
/** ZooKeeper connect string (ZooKeeper mode only). */
export const zookeeperConnect = environment.zookeeperConnect;
/** The CA's certificate (PEM) clients trust, when TLS or any security setting is on. */
export const caCertificate = environment.caCertificate;
/** When the first node or tools certificate expires (ISO 8601); `pulumi up` renews it within `renewalDays`. */
export const certificateExpiry = environment.certificateExpiry;
/** Each of `cluster.users` as `{ username, password, mechanism }` (secret), with authentication on. */
export const userCredentials = environment.userCredentials;
/** kafka-env's own admin, a super user, as `{ username, password, mechanism }` (secret): for break-glass work. */
export const adminCredentials = environment.adminCredentials;
