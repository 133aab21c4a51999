#!/usr/bin/env bash
# Part of `npm run lint`: every Go source of the repository (the provider plugins in
# e2e/toolchain/providers/) is formatted as gofmt formats it. gofmt ships with Go and needs
# no network; without it the check fails rather than being skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
gofmt=/usr/local/go/bin/gofmt
if [ ! -x "$gofmt" ]; then
    gofmt=$(command -v gofmt) || {
        echo "lint: gofmt not found (neither /usr/local/go/bin/gofmt nor on PATH): install Go (the e2e toolchain needs it too)" >&2
        exit 1
    }
fi
mapfile -t files < <(find . \( -name node_modules -o -name .git -o -name .tools \) -prune -o -name '*.go' -type f -print | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || exit 0
unformatted=$("$gofmt" -l "${files[@]}")
if [ -n "$unformatted" ]; then
    echo "lint: these Go files are not gofmt-formatted (run: $gofmt -w FILE):" >&2
    printf '  %s\n' $unformatted >&2
    exit 1
fi
echo "gofmt: ${#files[@]} Go files formatted"
