/**
 * kafka-env: a Kafka environment as code. The stack's `kafka-env:*` config becomes one
 * `KafkaEnvironment` (the component other programs use too), and its outputs the stack's. See
 * README.md for the config keys.
 */
import "./components/compileCache";
import { KafkaEnvironment } from "./components/kafkaEnvironment";
import { stackArgs } from "./components/stackConfig";

const { name, args } = stackArgs();
const environment = new KafkaEnvironment(name, args);
const outputs = environment.stackOutputs();

/** Bootstrap servers reachable from the host (or from outside the cluster). */
export const bootstrapServers = outputs.bootstrapServers;
/** Bootstrap servers on the container network (or inside the Kubernetes cluster). */
export const internalBootstrapServers = outputs.internalBootstrapServers;
/** kafka-ui's address, when enabled. */
export const kafkaUiUrl = outputs.kafkaUiUrl;
/** ZooKeeper connect string (ZooKeeper mode only). */
export const zookeeperConnect = outputs.zookeeperConnect;
/** The CA's certificate (PEM) clients trust, when TLS or any security setting is on. */
export const caCertificate = outputs.caCertificate;
/** When the first node or tools certificate expires (ISO 8601); `pulumi up` renews it within `renewalDays`. */
export const certificateExpiry = outputs.certificateExpiry;
/** Each of `cluster.users` as `{ username, password, mechanism }` (secret), with authentication on. */
export const userCredentials = outputs.userCredentials;
/** kafka-env's own admin, a super user, as `{ username, password, mechanism }` (secret): for break-glass work. */
export const adminCredentials = outputs.adminCredentials;
