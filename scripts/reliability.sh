#!/usr/bin/env bash
# Faults and scale: a node killed under load, PostgreSQL restarted under load, a million users, a soak, the cold start.
# Every scenario runs against the real Keycloak distribution (production mode, PostgreSQL) through the integration
# tests' harness, and writes its section of docs/reliability.md (the other sections are kept: resumable by scenario).
#
#   ./scripts/reliability.sh                      every scenario, short sizes (~25 min on an idle 2-core machine)
#   ./scripts/reliability.sh --full               the issue's sizes: 50 clients x 60 s, a million users, a 1-hour
#                                                 soak, 3 cold-start rounds (~1 h 45 min)
#   ./scripts/reliability.sh --only million       one scenario (or a list); the report keeps the others' sections
#
# Scenarios (--only a,b): kill (NodeKilledUnderLoadIT), database (DatabaseRestartUnderLoadIT), million
# (MillionUsersScenario), soak (SoakScenario), coldstart (ColdStartScenario). CI runs kill and database (short) as ITs.
#
# Options:
#   --only LIST        scenarios to run (default: all five)
#   --full             the issue's sizes (each can still be overridden by the options below)
#   --clients N        kill, database: concurrent clients (default 10; full 50)
#   --seconds S        kill, database: seconds of load (default 20; full 60)
#   --db-down S        database: seconds PostgreSQL stays down (default 4)
#   --users N          million: the large user count (default 1000000; the small one is 1000)
#   --window S         million: measured seconds per query and size (default 10)
#   --soak-seconds S   soak: duration (default 120; full 3600)
#   --soak-clients N   soak: clients (default 8)
#   --cold-rounds N    coldstart: rounds of without/with/with/without (default 1; full 3)
#   --out FILE         the Markdown report (default docs/reliability.md; '-' writes none)
#
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql) and a JDK (jcmd, for the soak's heap).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command_line="./scripts/reliability.sh${*:+ $*}"

only=kill,database,million,soak,coldstart
full=false
clients= seconds= db_down=4 users=1000000 window=10 soak_seconds= soak_clients=8 cold_rounds=
out=docs/reliability.md
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    --full) full=true ;;
    --only|--clients|--seconds|--db-down|--users|--window|--soak-seconds|--soak-clients|--cold-rounds|--out)
      [ $# -ge 2 ] || { echo "$1 needs a value (try --help)" >&2; exit 2; }
      case "$1" in
        --only) only="$2" ;; --clients) clients="$2" ;; --seconds) seconds="$2" ;; --db-down) db_down="$2" ;;
        --users) users="$2" ;; --window) window="$2" ;; --soak-seconds) soak_seconds="$2" ;;
        --soak-clients) soak_clients="$2" ;; --cold-rounds) cold_rounds="$2" ;; --out) out="$2" ;;
      esac
      shift ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if $full; then
  clients="${clients:-50}"; seconds="${seconds:-60}"; soak_seconds="${soak_seconds:-3600}"; cold_rounds="${cold_rounds:-3}"
else
  clients="${clients:-10}"; seconds="${seconds:-20}"; soak_seconds="${soak_seconds:-120}"; cold_rounds="${cold_rounds:-1}"
fi

scenarios=(kill database million soak coldstart)
declare -A class=([kill]=NodeKilledUnderLoadIT [database]=DatabaseRestartUnderLoadIT [million]=MillionUsersScenario
  [soak]=SoakScenario [coldstart]=ColdStartScenario)
declare -A section=([kill]=node-killed [database]=database-restart [million]=million-users [soak]=soak [coldstart]=cold-start)
declare -A title=([kill]="1. A node killed under load" [database]="2. PostgreSQL restarted under load"
  [million]="3. A million users" [soak]="4. Soak" [coldstart]="5. Cold start")
selected=()
IFS=, read -ra wanted <<<"$only"
for s in "${wanted[@]}"; do
  [ -n "${class[$s]:-}" ] || { echo "unknown scenario: $s (kill, database, million, soak, coldstart)" >&2; exit 2; }
  selected+=("${class[$s]}")
done

results="$root/integration-tests/target/reliability"
rm -rf "$results"
mkdir -p "$results"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain -- graphql-realm-resource protocol-mapper integration-tests 2>/dev/null)" ] || commit="$commit + uncommitted changes"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"

# The soak reads the heap with jcmd: the attach listener from the start, so a Keycloak JVM need not answer a signal.
export JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -XX:+StartAttachListener"
echo "==> Running ${selected[*]} (load average now: $load_before)"
set +e
mvn -B verify -pl integration-tests -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$(IFS=,; echo "${selected[*]}")" -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dreliability.report.dir="$results" -Dreliability.clients="$clients" -Dreliability.seconds="$seconds" \
  -Dreliability.db.down.seconds="$db_down" -Dreliability.users="$users" -Dreliability.window.seconds="$window" \
  -Dreliability.soak.seconds="$soak_seconds" -Dreliability.soak.clients="$soak_clients" \
  -Dreliability.cold.rounds="$cold_rounds" -Dkeycloak.startup.timeout.seconds=900 \
  -Dfailsafe.timeout=0 2>&1 | tee "$results/maven.log" | grep --line-buffered -E '^(Balancer|ColdStart|Soak|MillionUsers|BulkUsers|NodeKilled|DatabaseRestart|==== |\||  )|Tests run:|FAIL|ERROR\]' 
status=${PIPESTATUS[0]}
set -e
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

[ "$out" = - ] && exit "$status"
# The report: each scenario's section between markers; a section not run now is kept from the existing report.
old=""
[ -f "$out" ] && old="$(cat "$out")"
{
  cat <<'HEADER'
# Reliability: faults and scale

Made by `scripts/reliability.sh` (see `--help`): every scenario runs the real Keycloak distribution (production mode,
PostgreSQL) with the extension, through the integration tests' harness (`integration-tests/.../it/reliability`).
Scenarios 1 and 2 are also CI tests (`NodeKilledUnderLoadIT`, `DatabaseRestartUnderLoadIT`, 10 clients × 20 s), which
fail on a lost session, a 5xx from the survivor, errors outside the database's down time, or an error during it that
is not "temporarily unavailable" (HTTP 503 or GraphQL `UNAVAILABLE`). Each section says the command, commit and
machine load it was made with: the machine is a 2-core one, often shared with other builds, so latencies and start-up
times are upper bounds. Targets are reported, not asserted, except the CI tests' rules above.
HEADER
  for s in "${scenarios[@]}"; do
    name="${section[$s]}"
    echo
    echo "<!-- scenario:$name -->"
    if [ -f "$results/$name.md" ]; then
      echo "## ${title[$s]}"
      echo
      echo "_Run $started at $commit by \`$command_line\`; load average before $load_before, after $load_after._"
      echo
      cat "$results/$name.md"
    else
      kept="$(printf '%s\n' "$old" | awk -v b="<!-- scenario:$name -->" -v e="<!-- /scenario:$name -->" \
        '$0==e{inside=0} inside{print} $0==b{inside=1}')"
      if [ -n "$kept" ]; then
        printf '%s\n' "$kept"
      else
        echo "## ${title[$s]}"
        echo
        echo "_Not run yet: \`./scripts/reliability.sh --only $s\`._"
      fi
    fi
    echo "<!-- /scenario:$name -->"
  done
  # Notes written by hand (e.g. what a run's figures mean and what is filed about a missed target) are kept.
  notes="$(printf '%s\n' "$old" | awk '$0=="<!-- /notes -->"{inside=0} inside{print} $0=="<!-- notes -->"{inside=1}')"
  echo
  echo "<!-- notes -->"
  [ -n "$notes" ] && printf '%s\n' "$notes"
  echo "<!-- /notes -->"
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "==> Wrote $out (maven exit status $status; log $results/maven.log)"
exit "$status"
