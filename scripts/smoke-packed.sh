#!/usr/bin/env bash
# Packs every publishable package, installs the tarballs into a temporary project with npm (as a user would),
# and runs scripts/smoke-packed.mjs under Node 20 (this machine) and Node 24 (the registry's node@24 package).
# Run after a build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pkg in core relay42 rudderstack contacthub releva marigold-engage activation-kit; do
  (cd "packages/$pkg" && pnpm pack --pack-destination "$tmp" >/dev/null)
done
cd "$tmp"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-fund --no-audit --loglevel=error ./*.tgz
cp "$root/scripts/smoke-packed.mjs" .
echo "smoke (packed tarballs) on Node $(node --version):"
node smoke-packed.mjs
echo "smoke (packed tarballs) on Node 24:"
npm exec --yes --package=node@24 -- node smoke-packed.mjs
