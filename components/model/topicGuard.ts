/**
 * Topic changes a running cluster cannot take. Pure: the deployed partition counts (the guard's
 * last inputs, kept in the stack's state) against the configured ones.
 */

/** Partition counts by topic name. */
export type PartitionCounts = Readonly<Record<string, number>>;

/** One line per refused topic, saying why and what to do instead; empty when the change is safe. */
export function refusedTopicChanges(deployed: PartitionCounts, wanted: PartitionCounts): string[] {
    return Object.keys(wanted)
        .sort()
        .filter((name) => deployed[name] !== undefined && wanted[name] < deployed[name])
        .map(
            (name) =>
                `refused: ${name} has ${deployed[name]} partitions and the config asks for ${wanted[name]}; Kafka cannot remove partitions ` +
                `(recreating the topic would delete its data). Keep ${deployed[name]}, or recreate it deliberately: remove the topic from the stack ` +
                `(protectTopics: false), pulumi up, then add it back.`,
        );
}
