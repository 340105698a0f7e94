#!/usr/bin/env bash
# What a user gets from installing reelkit's tarballs (a scratch project made by
# .ci/pack-install.sh; Prism is never installed): every entry point of every installed @reelkit
# package imports; with the CLI, the bin runs, a mock passes the conformance kit, and --via-prism
# names the package to install.
# Given the README, a project with the mocks and the client also runs the README's vitest example
# ("Use it in your project") with msw and vitest installed as the README says.
#   .ci/consumer-check.sh <scratch project> [README.md]
set -euo pipefail
readme=${2:+$(cd "$(dirname "$2")" && pwd)/$(basename "$2")}
cd "$1"
fail() { echo "consumer-check: $*" >&2; exit 1; }

[ ! -e node_modules/@stoplight/prism-cli ] || fail 'Prism was installed although it is optional'
# An entry point may need an optional peer (./msw needs msw, ./vitest needs vitest) that a project
# using it installs: then the import must fail for exactly that missing package.
node --input-type=module -e "
  import { readdirSync, readFileSync } from 'node:fs';
  for (const dir of readdirSync('node_modules/@reelkit')) {
    const manifest = JSON.parse(readFileSync('node_modules/@reelkit/' + dir + '/package.json', 'utf8'));
    const optional = Object.keys(manifest.peerDependenciesMeta ?? {});
    for (const entry of Object.keys(manifest.exports ?? {})) {
      const specifier = manifest.name + entry.slice(1);
      try {
        await import(specifier);
        console.log('consumer-check: import ' + specifier);
      } catch (error) {
        const peer = optional.find((p) => error.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes(\"'\" + p + \"'\"));
        if (!peer) throw error;
        console.log('consumer-check: import ' + specifier + ' needs the optional peer ' + peer + ', not installed here');
      }
    }
  }
" || fail 'an entry point does not import'
if [ -n "$readme" ] && [ -e node_modules/@reelkit/mocks ] && [ -e node_modules/@reelkit/client ]; then
  # The first ```ts block of the README's "Use it in your project" section.
  awk '/^## Use it in your project/ { in_section = 1; next } /^## / { in_section = 0 }
    in_section && /^ *```ts/ && !done { in_block = 1; next }
    in_block && /^ *```/ { in_block = 0; done = 1 }
    in_block { sub(/^  /, ""); print }' "$readme" >readme-example.test.ts
  [ -s readme-example.test.ts ] || fail "no ts example in the README's Use it in your project"
  npm install --no-save --no-audit --no-fund --loglevel=error msw@^2.7.0 vitest@^4.1.12
  npx --no-install vitest run readme-example.test.ts || fail "the README's vitest example fails"
  echo "consumer-check: the README's vitest example passes against the installed packages"
fi
if [ ! -e node_modules/.bin/reelkit ]; then
  echo 'consumer-check: every entry point imports (no CLI in this project)'
  exit 0
fi
npx --no-install reelkit --help >/dev/null || fail 'npx reelkit --help failed'

log=$(mktemp)
# The bin itself, not through npx: $! is then the process to stop.
node_modules/.bin/reelkit mock --provider openrouter --port 0 --clock manual >"$log" 2>&1 &
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
