#!/usr/bin/env bash
# What a user gets from `npm install @reelkit/cli` (a scratch project made by .ci/pack-install.sh,
# every reelkit tarball installed, Prism not): the bin runs, every entry point imports, a mock
# passes the conformance kit, and --via-prism names the package to install.
#   .ci/consumer-check.sh <scratch project>
set -euo pipefail
cd "$1"
fail() { echo "consumer-check: $*" >&2; exit 1; }

npx --no-install reelkit --help >/dev/null || fail 'npx reelkit --help failed'
[ ! -e node_modules/@stoplight/prism-cli ] || fail 'Prism was installed although it is optional'
node --input-type=module -e "
  for (const entry of ['@reelkit/spec', '@reelkit/mocks', '@reelkit/mocks/fastify', '@reelkit/mocks/serve',
    '@reelkit/client', '@reelkit/conformance']) await import(entry);
" || fail 'an entry point does not import'

log=$(mktemp)
npx --no-install reelkit mock --provider openrouter --port 0 --clock manual >"$log" 2>&1 &
mock=$!
trap 'kill -INT "$mock" 2>/dev/null || true; rm -f "$log"' EXIT
base=''
for _ in $(seq 60); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/api/v1' "$log" | head -1 || true)
  [ -n "$base" ] && break
  sleep 1
done
[ -n "$base" ] || fail "the mock did not start: $(cat "$log")"

npx --no-install reelkit conformance --provider openrouter --base-url "$base" --api-key test \
  || fail "the installed conformance kit fails the mock at $base"

set +e
out=$(npx --no-install reelkit conformance --provider openrouter --base-url "$base" --api-key test --via-prism 2>&1)
code=$?
set -e
[ "$code" = 2 ] || fail "--via-prism without Prism exited $code, expected 2: $out"
grep -q 'npm install --save-dev @stoplight/prism-cli' <<<"$out" || fail "--via-prism without Prism: $out"
echo "consumer-check: --via-prism without Prism says: $(grep -m1 'Prism' <<<"$out")"
echo 'consumer-check: bin, entry points, a conformance run and the missing-Prism message all work'
