#!/usr/bin/env bash
# Renders the Kubernetes stack's manifests to rendered/<stack>/ without a cluster, for review:
# a throw-away stack on a temporary local backend, with kafka-env:kubernetes.renderDirectory set.
# Usage: scripts/render-k8s.sh [stack]   (default: k8s; reads Pulumi.<stack>.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
STACK=${1:-k8s}
OUT="$PWD/rendered/$STACK"
STATE=$(mktemp -d)
trap 'rm -rf "$STATE"; rm -f "Pulumi.render-$STACK.yaml"' EXIT

export PULUMI_BACKEND_URL="file://$STATE" PULUMI_CONFIG_PASSPHRASE="render" PULUMI_SKIP_UPDATE_CHECK=true
cp "Pulumi.$STACK.yaml" "Pulumi.render-$STACK.yaml"
pulumi stack init "render-$STACK" --non-interactive >/dev/null
pulumi config set --stack "render-$STACK" --path 'kafka-env:kubernetes.renderDirectory' "$OUT"
pulumi config set --stack "render-$STACK" --path 'kafka-env:kubernetes.topics' job
rm -rf "$OUT"
pulumi up --stack "render-$STACK" --yes --non-interactive --skip-preview >/dev/null
echo "rendered $(find "$OUT" -name '*.yaml' | wc -l) manifests to $OUT"
