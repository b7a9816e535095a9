#!/usr/bin/env bash
# Runs the unit tier and the embedded-backend pipeline under the oldest Node.js fanout supports
# (package.json engines: >=22.13), installed from the npm registry into ~/.node-floor.
set -euo pipefail
cd "$(dirname "$0")/.."

FLOOR="${FANOUT_NODE_FLOOR:-22.13}"
PREFIX="${HOME}/.node-floor/${FLOOR}"
if [ ! -x "${PREFIX}/bin/node" ]; then
  echo "node-floor: installing node@${FLOOR} into ${PREFIX}" >&2
  npm i -g --prefix "${PREFIX}" "node@${FLOOR}" --no-audit --no-fund >/dev/null
fi
NODE="${PREFIX}/bin/node"
echo "node-floor: $("${NODE}" --version)" >&2
"${NODE}" scripts/check-node.mjs
FANOUT_BACKENDS=embedded "${NODE}" node_modules/vitest/vitest.mjs run test/unit test/integration/pipeline.test.ts test/integration/worker.test.ts "$@"
