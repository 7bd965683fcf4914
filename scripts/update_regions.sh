#!/usr/bin/env bash
# Refresh regions/data/ from the npm package idn-area-data (Kemendagri region codes, as set by
# the latest Kepmendagri). The CSVs are committed so the app never fetches data at run time;
# after running this, add a data migration that applies the differences.
set -euo pipefail
version="${1:-4.0.1}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "idn-area-data@${version}" >/dev/null && tar xzf ./*.tgz)
cp "$tmp/package/data/provinces.csv" "$tmp/package/data/regencies.csv" "$here/regions/data/"
cp "$tmp/package/data/LICENSE.md" "$here/regions/data/LICENSE.md"
echo "regions/data/ now holds idn-area-data ${version}:"
wc -l "$here/regions/data/provinces.csv" "$here/regions/data/regencies.csv"
