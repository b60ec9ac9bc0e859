#!/usr/bin/env bash
# Starts Keycloak 26.7.3 with this extension and the realm "app" on an embedded H2 database, no Docker needed.
#
#   ./scripts/start-keycloak.sh            build the jars, start (reuses the downloaded distribution and the data)
#   ./scripts/start-keycloak.sh --reset    same, but wipes the local database first (realm re-imported)
#
# Keycloak's own KC_* variables are honoured (KC_HTTP_PORT, KC_HOSTNAME, KC_LOG_LEVEL, ...). The bootstrap admin is
# admin/admin unless KC_BOOTSTRAP_ADMIN_USERNAME / KC_BOOTSTRAP_ADMIN_PASSWORD say otherwise (first start only).
# Everything lives under .keycloak/ in the project root; Ctrl-C stops the server.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

reset=false
for arg in "$@"; do
  case "$arg" in
    --reset) reset=true ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)"
work="$root/.keycloak"
home="$work/keycloak-$version"
port="${KC_HTTP_PORT:-8080}"

if command -v ss >/dev/null 2>&1 && ss -ltn "sport = :$port" 2>/dev/null | grep -q LISTEN; then
  echo "Port $port is already in use. Stop what runs there, or pick another: KC_HTTP_PORT=8081 $0" >&2
  exit 1
fi

echo "==> Building the extension"
mvn -B -q -DskipTests -pl protocol-mapper,graphql-realm-resource -am package

if [ ! -x "$home/bin/kc.sh" ]; then
  echo "==> Fetching Keycloak $version through Maven (once)"
  mkdir -p "$work"
  mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$work"
  (cd "$work" && unzip -q -o "keycloak-quarkus-dist-$version.zip" && rm -f "keycloak-quarkus-dist-$version.zip")
fi

if $reset; then
  echo "==> Resetting the local database"
  rm -rf "$home/data"
fi

rm -f "$home"/providers/keycloak-hasura-*.jar
cp protocol-mapper/target/keycloak-hasura-protocol-mapper.jar "$home/providers/"
cp graphql-realm-resource/target/keycloak-hasura-graphql.jar "$home/providers/"
mkdir -p "$home/data/import"
cp realm-export/*.json "$home/data/import/"

export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"

base="http://localhost:$port"
cat <<INFO
==> Starting Keycloak $version (dev mode, H2 data in $home/data)
    Admin console : $base/admin/master/console/#/app   (admin user: $KC_BOOTSTRAP_ADMIN_USERNAME)
    Token endpoint: $base/realms/app/protocol/openid-connect/token
    JWKS          : $base/realms/app/protocol/openid-connect/certs
    Hasura JWKS   : $base/realms/app/hasura/jwks
    GraphQL       : $base/realms/app/graphql
    (the realm export is imported on the first start only; --reset wipes the data)
INFO

cd "$home"
exec bin/kc.sh start-dev --import-realm --http-port="$port"
