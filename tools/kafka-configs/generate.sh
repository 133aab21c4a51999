#!/usr/bin/env bash
# `npm run generate:kafka-configs`: writes components/model/kafkaConfigs/kafka-<line>.json, Kafka's
# own definitions of its topic configs and broker properties (type, range, allowed values) for each
# release line kafka-env supports, read from Kafka's ConfigDef by DumpConfigDefs.java on the
# broker's classpath from Maven Central. Run it when a line is added or its release changes; the
# files are committed, so the program and its tests never need Java or the network.
#
# The releases are those the e2e images are built from (e2e/images/build.sh): cp-kafka 7.8 and 7.9
# carry Kafka 3.8 and 3.9, apache/kafka 4.0 and 4.1. Needs Java 17 and Maven; jars are cached in
# $KAFKA_ENV_CACHE/images/m2 (shared with the image build).
set -euo pipefail
cd "$(dirname "$0")/../.."
RELEASES=(3.8.1 3.9.2 4.0.0 4.1.2)
M2=${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}/images/m2
OUT=components/model/kafkaConfigs
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
mkdir -p "$OUT"
for release in "${RELEASES[@]}"; do
    line=${release%.*}
    echo "kafka-configs: Kafka $release -> $OUT/kafka-$line.json" >&2
    # Maven 3.8 writes colour resets even in batch mode: they are stripped.
    mvn -B -q -f tools/kafka-configs/pom.xml -Dkafka.version="$release" -Dmaven.repo.local="$M2" \
        dependency:build-classpath -Dmdep.outputFile="$classpath" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
    # Kafka's classes log through SLF4J, which has no binding here: its three-line notice is dropped.
    java -cp "$(cat "$classpath")" tools/kafka-configs/DumpConfigDefs.java "$release" >"$OUT/kafka-$line.json" \
        2> >(grep -v '^SLF4J:' >&2)
done
npx prettier --log-level warn --write "$OUT"
