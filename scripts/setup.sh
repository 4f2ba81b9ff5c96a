#!/usr/bin/env bash
# Sets up a fresh machine that has only Node >= 20 and npm: system data packages (when root and
# apt-get exist), then pnpm (pinned, through npx) and the workspace's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages that tests and experiments use when present:
#   dataset-fashion-mnist  real Fashion-MNIST IDX files under /usr/share/datasets/fashion-mnist
#   chromium               headless browser for the HTML report test (driven by playwright-core)
#   python3-sklearn        scikit-learn, the independent reference the metrics are compared with
#   redis-server           the job queue's server: the queued-run tests start their own on a free port
# Without root or apt-get the tests that need them are skipped with a printed reason.
APT_PACKAGES=(dataset-fashion-mnist chromium python3-sklearn redis-server)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  echo "setup: not root or no apt-get; skipping system packages (${APT_PACKAGES[*]})"
fi

# pnpm comes through npx the first time; the workspace then pins it as a devDependency, so
# node_modules/.bin/pnpm exists for turbo (which looks for a `pnpm` binary on the PATH; npm run
# and npx put node_modules/.bin there). A machine with no global pnpm needs nothing else.
echo "setup: pnpm install"
npx -y pnpm@12.4.2 install --frozen-lockfile
if [ ! -x node_modules/.bin/pnpm ]; then
  echo "setup: node_modules/.bin/pnpm is missing after install; turbo cannot run without it." >&2
  exit 1
fi
