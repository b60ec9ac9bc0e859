#!/usr/bin/env bash
# Benchmarks the extension against Keycloak's own endpoints on one real Keycloak, and the GraphQL layer alone (JMH).
#
#   ./scripts/benchmark.sh                 full run (~20 min): 1 000 and 100 000 users, JMH, writes docs/benchmarks.md
#   ./scripts/benchmark.sh --quick         short run (~7 min): 1 000 and 10 000 users, short windows and JMH
#
# Options (anything else is passed to the load benchmark, see below):
#   --quick                 short windows, 10 000 users, short JMH
#   --duration S            seconds per measured window and side (default 6; quick 3)
#   --rounds N              measured windows per side, alternating native/extension (default 3; quick 2)
#   --warmup-all S          first warm every pair in turn for S seconds, both sides interleaved (default 15; quick 3)
#   --warmup S              warm-up seconds per side before each pair, both sides interleaved (default 5; quick 2)
#   --concurrency N         concurrent HTTP clients (default 4)
#   --users N               the large user count (default 100000; quick 10000)
#   --small-users N         the small user count (default 1000)
#   --hash-iterations N     override the realm's password hashing iterations (default: Keycloak's own)
#   --only a,b              only these pairs: login,refresh,verify,mapper,switch,organizations,claims-query,whoami,webhook,
#                           passkey-login,login-code,pat-webhook,pat-login,sign-up-sync,users,enumeration
#   --enumeration-samples N answers per kind of address in the account-enumeration timing (default 100; quick 30)
#   --out FILE              the Markdown report (default docs/benchmarks.md; '-' writes none)
#   --no-jmh                skip the JMH benchmark of the GraphQL layer
#   --jmh-only              run only the JMH benchmark (no Keycloak) and update the report's JMH section
#   --skip-build            reuse benchmarks/target/benchmarks.jar
#   --jfr                   record Keycloak with Java Flight Recorder into benchmarks/target/keycloak.jfr
#   --db postgres|h2|auto   Keycloak's database: a throwaway local PostgreSQL (auto: when its server binaries are
#                           installed, the default) or start-dev's H2 file
#
# Starts its own Keycloak (benchmarks/target/keycloak-dist, free ports, fresh database) and stops it at the end.
# Keycloak's heap: JAVA_OPTS_KC_HEAP (default -Xms1g -Xmx2g). Ratios are reported, never asserted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

jmh=true
jmh_only=false
build=true
quick=false
load_args=()
out=docs/benchmarks.md
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    --no-jmh) jmh=false ;;
    --jmh-only) jmh_only=true ;;
    --skip-build) build=false ;;
    --jfr) export JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -XX:FlightRecorderOptions:stackdepth=512 -XX:StartFlightRecording=filename=$root/benchmarks/target/keycloak.jfr,settings=profile,dumponexit=true" ;;
    --quick) quick=true; load_args+=("$1") ;;
    --duration|--rounds|--warmup|--warmup-all|--concurrency|--users|--small-users|--hash-iterations|--only|--out|--db|--enumeration-samples)
      [ $# -ge 2 ] || { echo "$1 needs a value (try --help)" >&2; exit 2; }
      [ "$1" = --out ] && out="$2"
      load_args+=("$1" "$2"); shift ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)"
target="$root/benchmarks/target"
jar="$target/benchmarks.jar"

if $build; then
  echo "==> Building the extension and the benchmarks (tests skipped)"
  mvn -B -q -Pbench -DskipTests -pl benchmarks -am package
fi
[ -f "$jar" ] || { echo "no $jar: run without --skip-build" >&2; exit 1; }

jmh_result="$target/jmh-result.json"
if $jmh || $jmh_only; then
  echo "==> JMH: the GraphQL layer alone (canned Keycloak backend)"
  rm -f "$jmh_result"
  if $quick; then jmh_opts=(-wi 2 -w 1s -i 3 -r 1s); else jmh_opts=(-wi 3 -w 2s -i 5 -r 2s); fi
  java -cp "$jar" org.openjdk.jmh.Main GraphqlLayerBenchmark -f 1 "${jmh_opts[@]}" -tu us -bm avgt \
    -rf json -rff "$jmh_result"
fi
if $jmh_only; then
  # Keep the load part of the report, replace its JMH section.
  java -cp "$jar" io.github.keycloakhasura.bench.LoadBenchmark --update-jmh "$out" "$jmh_result"
  exit 0
fi

echo "==> Load: native endpoints vs. the extension (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- graphql-realm-resource protocol-mapper 2>/dev/null)" ]; then
  commit="$commit + uncommitted changes"
fi
export JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms1g -Xmx2g}"
exec java -Xmx512m \
  -Dkeycloak.version="$version" \
  -Dkeycloak.dist.dir="$target/keycloak-dist/keycloak-$version" \
  -Dkeycloak.providers.dir="$target/providers" \
  -Dkeycloak.realm.dir="$root/realm-export" \
  -Dkeycloak.log.file="$target/keycloak-server.log" \
  -Dbench.git="$commit" \
  -Dkeycloak.startup.timeout.seconds=900 \
  -jar "$jar" --jmh-result "$jmh_result" ${load_args[@]+"${load_args[@]}"}
