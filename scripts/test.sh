#!/usr/bin/env bash
# The test suite: system packages the tests drive, formatting, lint, a type check, then every
# vitest project (unit, and integration against a real PostgreSQL and a real Temporal dev
# server). Ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
echo "Checking formatting…"
npx prettier --check . --log-level warn
echo "Linting (folder boundaries, workflow determinism, promises)…"
npx eslint .
echo "Type-checking…"
npx tsc --noEmit
npx tsc --noEmit -p web
report="$(mktemp)"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$report" || true
rm -f "$report"
exit $status
