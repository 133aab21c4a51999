/**
 * The plugin package's entry: the components `pulumi package add <repo>/plugin` (or the schema
 * analyzer, in tests/component/schema.test.ts) finds, with their argument types.
 */
export { KafkaEnvironment } from "../components/kafkaEnvironment";
