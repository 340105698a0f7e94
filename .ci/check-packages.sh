#!/usr/bin/env bash
# Packs every public workspace once and checks the tarball as a registry would serve it:
# publint (package.json fields, exports and files agree) and Are the Types Wrong (types resolve
# under node16 ESM and bundler resolution; the packages are ESM-only, so CommonJS is not checked).
# Needs a built checkout (npm ci builds it). Offline: both tools read the local .tgz.
set -euo pipefail
cd "$(dirname "$0")/.."
tgz=$(mktemp -d /tmp/reelkit-check-packages.XXXXXX)
trap 'rm -rf "$tgz"' EXIT

failed=0
for dir in packages/*/; do
  [ "$(node -p "require('./${dir}package.json').private === true")" = true ] && continue
  file=$(cd "$dir" && npm pack --pack-destination "$tgz" --silent)
  echo "== ${dir%/}: $file"
  npx publint run "$tgz/$file" --strict || failed=1
  npx attw "$tgz/$file" --profile esm-only --format table || failed=1
done
[ "$failed" = 0 ] && echo "check-packages: publint and attw pass for every package"
exit "$failed"
