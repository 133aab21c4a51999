#!/usr/bin/env bash
# Installs kubernetes-validate (PyPI), which ships the Kubernetes API's JSON schemas for offline,
# strict validation (unknown fields fail), into .tools/ if it is not there yet. Used by the
# Kubernetes manifest tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=1.37.0
DIR=.tools/kubernetes-validate
if [ -x "$DIR/bin/kubernetes-validate" ] && [ "$(cat "$DIR/.version" 2>/dev/null)" = "$VERSION" ]; then
    exit 0
fi
rm -rf "$DIR"
python3 -m venv "$DIR"
"$DIR/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$VERSION"
echo "$VERSION" > "$DIR/.version"
