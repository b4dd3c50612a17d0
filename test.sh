#!/usr/bin/env bash
# The whole test suite: sets up what the tests need, builds, runs every test project.
# Results (TRX) land in TestResults/; screenshots and logs of tests in TestResults/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

scripts/install-test-deps.sh

rm -rf TestResults
dotnet build WorkflowOrders.sln -c Release -warnaserror 2>&1 | tail -n 3
# One test assembly at a time (-m:1): the persistence tests start PostgreSQL clusters and host processes, the web
# tests drive Chromium; on a 2-core machine running them side by side starves the browser tests of CPU.
dotnet test WorkflowOrders.sln -c Release --no-build -m:1 \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory TestResults "$@"
