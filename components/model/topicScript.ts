/**
 * A shell script that brings the cluster's topics to the model, for targets where `pulumi` cannot
 * reach the brokers (a Kubernetes Job inside the cluster). It is idempotent and never destroys:
 * it creates missing topics, raises partition counts and sets topic configs; it refuses (exits
 * non-zero, naming the topic) a partition decrease, and never deletes a topic. Exit codes: 0 done,
 * 3 a change was refused (retrying cannot help), 1 anything else (brokers unreachable: retry).
 */
import { adminTool } from "./images";
import { ResolvedTopic } from "./resolve";

/** Single-quotes a value for bash. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `commandConfig`: the client properties the tools read on a secured cluster (`toolConnection`). */
export function topicScript(topics: readonly ResolvedTopic[], bootstrapServers: readonly string[], commandConfig?: string): string {
    // As the admin (admin.ts), wherever the script runs.
    const admin = { bootstrap: '"$BOOTSTRAP"', ...(commandConfig !== undefined ? { commandConfig } : {}) };
    const lines = [
        "set -u",
        `BOOTSTRAP=${shellQuote(bootstrapServers.join(","))}`,
        `topics() { ${adminTool(admin, "kafka-topics", '"$@"')}; }`,
        `configs() { ${adminTool(admin, "kafka-configs", '"$@"')}; }`,
        "failed=0 refused=0",
        "# ensure NAME PARTITIONS REPLICATION [key=value ...]",
        "ensure() {",
        "  name=$1; partitions=$2; replication=$3; shift 3",
        "  current=$(topics --describe --topic \"$name\" 2>/dev/null | sed -n 's/.*PartitionCount: *\\([0-9][0-9]*\\).*/\\1/p' | head -n 1)",
        '  if [ -z "$current" ]; then',
        '    args=(); for c in "$@"; do args+=(--config "$c"); done',
        '    if topics --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor "$replication" "${args[@]}"; then',
        '      echo "created $name ($partitions partitions, replication $replication)"',
        "    else failed=1; fi",
        "    return",
        "  fi",
        '  if [ "$current" -lt "$partitions" ]; then',
        '    topics --alter --topic "$name" --partitions "$partitions" && echo "raised $name from $current to $partitions partitions" || failed=1',
        '  elif [ "$current" -gt "$partitions" ]; then',
        '    echo "refused: $name has $current partitions and the config asks for $partitions; Kafka cannot remove partitions (recreating the topic would delete its data)" >&2',
        "    refused=1",
        "  fi",
        "  # kafka-configs reads a list value (compact,delete) only in brackets.",
        '  for c in "$@"; do',
        '    k=${c%%=*}; v=${c#*=}; case $v in *,*) v="[$v]" ;; esac',
        '    configs --alter --entity-type topics --entity-name "$name" --add-config "$k=$v" >/dev/null || failed=1',
        "  done",
        "}",
    ];
    for (const t of topics) {
        const config = Object.entries(t.config).map(([k, v]) => shellQuote(`${k}=${v}`));
        lines.push(["ensure", shellQuote(t.name), String(t.partitions), String(t.replicationFactor), ...config].join(" "));
    }
    lines.push('[ "$refused" = 0 ] || exit 3', 'exit "$failed"');
    return lines.join("\n");
}
