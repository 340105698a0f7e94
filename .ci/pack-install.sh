#!/usr/bin/env bash
# Packs every public workspace of a reelkit checkout and installs the tarballs into scratch
# projects, as a user would: prints each tarball's size and each install's time and size.
#   .ci/pack-install.sh [repo dir] [scratch dir]
# Needs a built checkout (npm ci runs the build). Used for the numbers in the release notes and,
# from .ci/run, to check that the packed CLI and kit run without Prism.
set -euo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
out=${2:-$(mktemp -d /tmp/reelkit-pack.XXXXXX)}
mkdir -p "$out/tgz"
out=$(cd "$out" && pwd)

echo "== tarballs (npm pack), from $repo"
printf '%-22s %10s %10s %6s\n' package packed unpacked files
for dir in "$repo"/packages/*/; do
  private=$(node -p "require('${dir}package.json').private === true")
  [ "$private" = true ] && continue
  json=$(cd "$dir" && npm pack --pack-destination "$out/tgz" --json 2>/dev/null)
  node -e '
    const [p] = JSON.parse(process.argv[1]);
    const kb = (n) => (n / 1024).toFixed(1) + " kB";
    console.log(p.name.padEnd(22), kb(p.size).padStart(10), kb(p.unpackedSize).padStart(10), String(p.entryCount).padStart(6));
  ' "$json"
done

# One scratch project per set of packages: the same npm cache for every run.
install_set() {
  local name=$1
  shift
  local dir="$out/$name"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm init -y >/dev/null)
  local tarballs=()
  for pkg in "$@"; do tarballs+=("$out/tgz/reelkit-$pkg-"*.tgz); done
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "${tarballs[@]}" >/dev/null)
  end=$(date +%s.%N)
  local mb count
  mb=$(du -sm "$dir/node_modules" | cut -f1)
  count=$(find "$dir/node_modules" -name package.json -path '*node_modules/*/package.json' -not -path '*/node_modules/*/node_modules/*/*/package.json' | wc -l)
  printf '%-40s %6.1f s %6s MB %5s package.json files\n' "$*" "$(echo "$end - $start" | bc)" "$mb" "$count"
}

echo "== installs from the tarballs (npm install, cache as it is)"
install_set base spec mocks client
install_set kit spec mocks client conformance
install_set cli spec mocks client conformance cli
echo "scratch projects in $out"
