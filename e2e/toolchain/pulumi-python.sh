#!/usr/bin/env bash
# Build what a Python Pulumi program needs beside the CLI, from Go modules, into
# the CLI's cached bin directory (see pulumi-cli.sh, which this runs first):
#
#   pulumi-language-python       the Python language host, from sdk/v3@v3.68.0
#   pulumi-language-python-exec  its program runner (a Python script), from
#                                sdk/v3 at the CLI's version
#   pulumi-sdkgen-python         writes a package's Python SDK from its schema
#                                (sdkgen-python/main.go, built against pkg/v3 at
#                                the CLI's version)
#
# Usage:
#   e2e/toolchain/pulumi-python.sh [--force]
#   PATH="$(e2e/toolchain/pulumi-python.sh | tail -n 1):$PATH"
#
# The last line on stdout is the bin directory; progress goes to stderr. Cached:
# a second run prints the path at once (--force rebuilds these three, not the CLI).
# Environment: as pulumi-cli.sh (KAFKA_ENV_CACHE, PULUMI_CLI_VERSION, GO).
#
# Why these versions:
#   - Since pulumi v3.69 the Python host is its own, untagged module
#     (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3), which the
#     module proxy reachable here does not serve ("403 This module version is not
#     available"), like the Node.js host. sdk/v3@v3.68.0 is the last release that
#     contains it. It runs Python programs for CLI v3.274, with two limits:
#       * it reads the virtualenv from a command-line flag the new CLI no longer
#         passes, so `runtime.options.virtualenv` in Pulumi.yaml has no effect: put
#         the virtualenv's bin directory first on PATH (and set VIRTUAL_ENV) instead;
#       * it predates the GeneratePackage and Link calls, so `pulumi package gen-sdk
#         --language python` and `pulumi package add` stop at "method
#         GeneratePackage not implemented". pulumi-sdkgen-python does that step with
#         the same code generator the newer host calls (pkg/v3/codegen/python).
#   - The runner script comes from the CLI's own SDK release, which matches the
#     `pulumi` package from PyPI better than v3.68's (it takes the newer flags).

set -euo pipefail

readonly SDK_MODULE=github.com/pulumi/pulumi/sdk/v3
readonly PKG_MODULE=github.com/pulumi/pulumi/pkg/v3
# Last SDK release that contains the Python language host (see above).
readonly PYTHON_HOST_SDK_VERSION=v3.68.0
readonly PYTHON_HOST_PACKAGE=$SDK_MODULE/python/cmd/pulumi-language-python

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}"

readonly TOOL=pulumi-python
# shellcheck source=e2e/toolchain/pulumi-go.sh
source "$script_dir/pulumi-go.sh"
parse_force "$@"

bin="$(bash "$script_dir/pulumi-cli.sh" | tail -n 1)"
versions="$(dirname "$bin")/VERSIONS"
cli_version="$(sed -n 's/^pulumi=//p' "$versions")"
[[ -n $cli_version ]] || die "no pulumi= line in $versions"

installed() {
  [[ -x $bin/pulumi-language-python && -x $bin/pulumi-language-python-exec && -x $bin/pulumi-sdkgen-python ]] &&
    grep -qx "pulumi-sdkgen-python=$cli_version" "$versions"
}

if ! $force && installed; then
  log "cached in $bin"
  printf '%s\n' "$bin"
  exit 0
fi

go_setup "$cache"
work="$(mktemp -d "${TMPDIR:-/tmp}/kafka-env-pulumi-python.XXXXXX")"
stage="$(mktemp -d "$bin/.python-staging.XXXXXX")"
cleanup() { rm -rf "$work" "$stage"; }
trap cleanup EXIT
go_work_init "$work"

build_in_wrapper pulumi-language-python "$PYTHON_HOST_PACKAGE" "$PYTHON_HOST_SDK_VERSION" \
  "$stage/pulumi-language-python" "$SDK_MODULE@$PYTHON_HOST_SDK_VERSION"

runner="$(module_json "$SDK_MODULE@$cli_version" Dir)/python/cmd/pulumi-language-python-exec"
[[ -f $runner ]] || die "$SDK_MODULE@$cli_version has no python/cmd/pulumi-language-python-exec"
install -m 0755 "$runner" "$stage/pulumi-language-python-exec"

build_in_wrapper pulumi-sdkgen-python "$script_dir/sdkgen-python" "$cli_version" \
  "$stage/pulumi-sdkgen-python" "$PKG_MODULE@$cli_version" "$SDK_MODULE@$cli_version"

# The generator runs (it answers a call without arguments with its usage).
set +e
"$stage/pulumi-sdkgen-python" >/dev/null 2>&1
[[ $? -eq 2 ]] || die "the built pulumi-sdkgen-python does not run"
set -e

for f in pulumi-language-python pulumi-language-python-exec pulumi-sdkgen-python; do
  mv -f "$stage/$f" "$bin/$f"
done
sed -i '/^pulumi-language-python=/d; /^pulumi-sdkgen-python=/d' "$versions"
printf 'pulumi-language-python=%s\npulumi-sdkgen-python=%s\n' "$PYTHON_HOST_SDK_VERSION" "$cli_version" >>"$versions"

log "installed in $bin: $(tr '\n' ' ' <"$versions")"
printf '%s\n' "$bin"
