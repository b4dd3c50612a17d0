#!/usr/bin/env bash
# Benchmarks of WorkflowOrders. Figures are reported in issue notes, never asserted in tests.
#
#   bench/run.sh [engine-throughput]      in-memory engine throughput beside bpmn-engine (default)
#   bench/run.sh inbox [--samples N …]    REST API task search on PostgreSQL: 100,000 open tasks, 500 users, p50/p95
#   bench/run.sh escalation [--tasks N …] 10,000 tasks overdue at one moment → seconds until aiosmtpd accepted every reminder
#   bench/run.sh help
#
# Settings (environment): BENCH_CORE (core both engines are pinned to, default 0),
# PEER_INSTANCES (default 300), PEER_WARMUP (default 50), BENCH_BPMN (default bench/order-review.bpmn),
# ENGINE_INSTANCES (default 50000), ENGINE_RUNS (timed runs per setting, median reported; default 3).
# Results: a table on stdout and a JSON file in bench/results/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

core="${BENCH_CORE:-0}"
results_dir=bench/results
bench_project=bench/WorkflowOrders.Bench

# Both engines run on the same single core, one after the other, so "per second on one core" compares like
# with like. Without taskset (util-linux) the figures are still printed, marked as unpinned.
pinned() {
  if command -v taskset >/dev/null 2>&1; then
    taskset -c "$core" "$@"
  else
    "$@"
  fi
}

pinning_note() {
  if command -v taskset >/dev/null 2>&1; then echo "pinned to core $core"; else echo "NOT pinned: taskset missing"; fi
}

# The peer's packages come from its committed package-lock.json; reinstalled when the lock changed.
ensure_peer() {
  local installed=bench/peer/node_modules/.package-lock.json
  if [[ ! -f "$installed" || bench/peer/package-lock.json -nt "$installed" ]]; then
    echo "installing the peer's packages (npm ci) ..." >&2
    npm ci --prefix bench/peer --no-audit --no-fund >&2
  fi
}

# Last line of stdout that is a JSON object with a perSecond figure, or nothing.
json_result() {
  grep -E '^\{.*"perSecond"' | tail -n 1 || true
}

engine_throughput() {
  local bpmn="${BENCH_BPMN:-bench/order-review.bpmn}"
  local stamp load engine_json="" engine_out peer_json status
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  # Other builds may share this machine; the load at the start goes into the result to judge the figures.
  load="$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  mkdir -p "$results_dir"

  ensure_peer

  echo "building $bench_project (Release) ..." >&2
  dotnet build "$bench_project" -c Release -nologo -v quiet >&2

  # Contract with the benchmark program: for `engine-throughput <file>` it prints one JSON line
  # {"engine":…,"version":…,"instances":…,"seconds":…,"perSecond":…,"cpuSeconds":…} (version and cpuSeconds
  # optional) and exits 0; a failure exits non-zero.
  echo "running the engine benchmark ($(pinning_note)) ..." >&2
  set +e
  engine_out="$(pinned dotnet run -c Release --no-build --project "$bench_project" -- engine-throughput "$bpmn" \
    "${ENGINE_INSTANCES:-50000}" "--runs=${ENGINE_RUNS:-3}")"
  status=$?
  set -e
  if [[ $status -ne 0 ]]; then
    printf '%s\n' "$engine_out" >&2
    echo "engine benchmark failed (exit $status)" >&2
    exit "$status"
  fi
  engine_json="$(printf '%s\n' "$engine_out" | json_result)"
  if [[ -z "$engine_json" ]]; then
    echo "engine benchmark not available yet" >&2
  fi

  echo "running the peer, bpmn-engine ($(pinning_note)) ..." >&2
  peer_json="$(pinned node bench/peer/run.js "$bpmn" "${PEER_INSTANCES:-300}" "--warmup=${PEER_WARMUP:-50}" | json_result)"
  if [[ -z "$peer_json" ]]; then
    echo "the peer printed no result" >&2
    exit 1
  fi

  local out="$results_dir/engine-throughput-$stamp.json"
  ENGINE_JSON="$engine_json" PEER_JSON="$peer_json" BPMN="$bpmn" CORE="$(pinning_note)" LOAD="$load" STAMP="$stamp" OUT="$out" \
    node --input-type=module <<'JS'
import fs from 'node:fs';
import os from 'node:os';
const env = process.env;
const engine = env.ENGINE_JSON ? JSON.parse(env.ENGINE_JSON) : null;
const peer = JSON.parse(env.PEER_JSON);
const ratio = engine ? Number((engine.perSecond / peer.perSecond).toFixed(1)) : null;
const result = {
  benchmark: 'engine-throughput',
  at: env.STAMP,
  bpmn: env.BPMN,
  cpu: env.CORE,
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', loadAverageAtStart: env.LOAD },
  engine,
  peer,
  ratio,
};
fs.writeFileSync(env.OUT, JSON.stringify(result, null, 2) + '\n');
fs.copyFileSync(env.OUT, 'bench/results/engine-throughput-latest.json');

// CPU share below ~100% means the process waited for its core: another job ran there too. "per CPU s" divides the
// instances by the CPU time the process got instead of the wall time: the figure for a core of its own.
const share = (r) => (typeof r.cpuSeconds === 'number' ? `${Math.round((100 * r.cpuSeconds) / r.seconds)}%` : '-');
const perCpu = (r) => (typeof r.cpuSeconds === 'number' && r.cpuSeconds > 0 ? (r.instances / r.cpuSeconds).toFixed(r.instances / r.cpuSeconds < 1000 ? 1 : 0) : '-');
const row = (name, version, instances, seconds, perSecond, cpu, cpuRate) =>
  `${name.padEnd(24)}${String(version).padEnd(15)}${String(instances).padStart(10)}${String(seconds).padStart(10)}` +
  `${String(perSecond).padStart(14)}${String(cpu).padStart(11)}${String(cpuRate).padStart(12)}`;
console.log(`engine-throughput: ${env.BPMN}, instances completed per second, ${env.CORE}`);
console.log(`machine: ${result.machine.cpus} cores, load average at start ${env.LOAD}`);
console.log(row('engine', 'version', 'instances', 'seconds', 'per second', 'CPU share', 'per CPU s'));
console.log(engine
  ? row(engine.engine ?? 'WorkflowOrders.Engine', engine.version ?? '-', engine.instances, engine.seconds, engine.perSecond, share(engine), perCpu(engine))
  : row('WorkflowOrders.Engine', '-', '-', '-', 'not available', '-', '-'));
// The headline keeps the audit trail (the engine's own audit events, stored); the second figure drops them in the store.
if (engine?.auditOff) {
  const off = engine.auditOff;
  console.log(row('  same, audit not kept', '', off.instances, off.seconds, off.perSecond, share(off), perCpu(off)));
}
console.log(row(peer.engine, peer.version, peer.instances, peer.seconds, peer.perSecond, share(peer), perCpu(peer)));
console.log(`ratio (engine ÷ peer): ${ratio === null ? 'n/a' : `${ratio}×`}${engine?.audit ? ` (engine with audit ${engine.audit})` : ''}`);
console.log(`written: ${env.OUT}`);
JS
}

# The inbox search: the program fills a throwaway PostgreSQL cluster (or INBOX_PG) and prints a table plus one JSON
# line, which is kept in bench/results/inbox-<time>.json.
inbox() {
  local stamp out
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$results_dir"
  echo "building bench/WorkflowOrders.Bench.Inbox (Release) ..." >&2
  dotnet build bench/WorkflowOrders.Bench.Inbox -c Release -nologo -v quiet >&2
  echo "load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2
  out="$(dotnet run -c Release --no-build --project bench/WorkflowOrders.Bench.Inbox -- "$@")"
  printf '%s\n' "$out" | grep -v '^{'
  printf '%s\n' "$out" | grep '^{"benchmark":"inbox"' | tail -n 1 > "$results_dir/inbox-$stamp.json"
  cp "$results_dir/inbox-$stamp.json" "$results_dir/inbox-latest.json"
  echo "written: $results_dir/inbox-$stamp.json"
}

# The escalation benchmark: the program starts its own PostgreSQL cluster and aiosmtpd and prints a table plus one
# JSON line, which is kept in bench/results/escalation-<time>.json.
escalation() {
  local stamp out
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$results_dir"
  echo "building bench/WorkflowOrders.Bench.Escalation (Release) ..." >&2
  dotnet build bench/WorkflowOrders.Bench.Escalation -c Release -nologo -v quiet >&2
  out="$(dotnet run -c Release --no-build --project bench/WorkflowOrders.Bench.Escalation -- "$@")"
  printf '%s\n' "$out" | grep -v '^{'
  printf '%s\n' "$out" | grep '^{"benchmark":"escalation"' | tail -n 1 > "$results_dir/escalation-$stamp.json"
  cp "$results_dir/escalation-$stamp.json" "$results_dir/escalation-latest.json"
  echo "written: $results_dir/escalation-$stamp.json"
}

case "${1:-engine-throughput}" in
  engine-throughput) engine_throughput ;;
  # The engine on PostgreSQL with fsync on beside pgbench, and timer lag (bench/README.md, section durable).
  durable) shift && dotnet build bench/WorkflowOrders.Bench.Durable -c Release -nologo -v quiet >&2 && dotnet run -c Release --no-build --project bench/WorkflowOrders.Bench.Durable -- "$@" ;;
  inbox) shift; inbox "$@" ;;
  escalation) shift; escalation "$@" ;;
  help | -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    echo "unknown benchmark: $1 (known: engine-throughput, durable, inbox, escalation)" >&2
    exit 2
    ;;
esac
