/**
 * The `kafka-env` package's public entry: what `require("kafka-env")` and `import ... from
 * "kafka-env"` give a program of your own. It compiles to `dist/api.js` with its declarations
 * (`npm run build`); the repository's own Pulumi program is `index.ts`, which deploys when it runs.
 *
 * The main export is the `KafkaEnvironment` component and its argument types; the planning step
 * (`planEnvironment`, `ConfigError`) is exported for programs that check a config without deploying.
 */
export { KafkaEnvironment, planArgs } from "./components/kafkaEnvironment";
export type { KafkaEnvironmentArgs } from "./components/kafkaEnvironment";
export { AclOperation, AclPatternType, AclPermission, AclResource, Authentication, ConfigError, Mode, ScramMechanism, Target } from "./components/model";
export type {
    AclConfig,
    CertificatesConfig,
    ClusterConfig,
    ClusterModel,
    ImagesConfig,
    KRaftConfig,
    KafkaUiConfig,
    ListenersConfig,
    MetricsConfig,
    Problem,
    ReplicationConfig,
    SecurityConfig,
    TopicConfig,
    UserConfig,
    ZooKeeperConfig,
} from "./components/model";
export { ExternalType, TopicsVia } from "./components/kubernetes/config";
export type { ExternalConfig, KubernetesConfig, ResourcesConfig, StorageConfig, WorkloadResourcesConfig } from "./components/kubernetes/config";
export { MonitorKind, PodSecurityLevel } from "./components/kubernetes/platform";
export type { MonitoringConfig, NetworkPolicyConfig, PodSecurityConfig, PodsConfig, RackConfig, Toleration } from "./components/kubernetes/platform";
export { planEnvironment } from "./components/plan";
export type { EnvironmentInput, EnvironmentPlan } from "./components/plan";
export type { ClusterOutputs } from "./components/outputs";
export type { ClientCredential } from "./components/security/clusterSecrets";
