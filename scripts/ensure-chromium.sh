#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed for the browser checks (docs site, browser bundle) and
# prints its path. Uses Debian's package: Playwright's own browser download is not reachable from CI.
set -euo pipefail
bin=${CHROMIUM_PATH:-/usr/bin/chromium}
if ! [ -x "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Chromium is missing and installing it needs root: apt-get install -y chromium" >&2
    exit 1
  fi
  echo "installing Chromium (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "$bin"
