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

# The tarballs a set of packages needs: each one's @reelkit/* dependencies, read from the packed
# package.json, recursively (the packages are not on a registry here).
with_siblings() {
  local todo=("$@") seen=() pkg
  while [ ${#todo[@]} -gt 0 ]; do
    pkg=${todo[0]}
    todo=("${todo[@]:1}")
    [[ " ${seen[*]} " == *" $pkg "* ]] && continue
    seen+=("$pkg")
    # shellcheck disable=SC2207
    todo+=($(tar xzOf "$out/tgz/reelkit-$pkg-"*.tgz package/package.json |
      node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
        console.log(Object.keys(m.dependencies ?? {}).filter((d) => d.startsWith("@reelkit/"))
          .map((d) => d.slice(9)).join(" "))'))
  done
  echo "${seen[@]}"
}

# One scratch project per set of packages, all with the same npm cache.
install_set() {
  local name=$1
  shift
  local dir="$out/$name" pkg
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{ "name": "reelkit-scratch", "private": true, "type": "module" }' >"$dir/package.json"
  local tarballs=()
  for pkg in $(with_siblings "$@"); do tarballs+=("$out/tgz/reelkit-$pkg-"*.tgz); done
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "${tarballs[@]}" >/dev/null)
  end=$(date +%s.%N)
  local mb count
  mb=$(du -sm "$dir/node_modules" | cut -f1)
  count=$(cd "$dir" && npm ls --all --parseable 2>/dev/null | tail -n +2 | sort -u | wc -l)
  printf '%-26s %-40s %6.1f s %5s MB %5s packages\n' "$name" "$(with_siblings "$@")" \
    "$(awk "BEGIN { print $end - $start }")" "$mb" "$count"
}

echo "== installs from the tarballs (npm install, the npm cache as it is)"
install_set spec+mocks+client spec mocks client
install_set conformance conformance
install_set spec+mocks+client+kit spec mocks client conformance
install_set cli cli
echo "scratch projects in $out"
