#!/bin/sh
# Run by docker-compose.prod.yml before any other service starts (service "production-check"): refuses the
# placeholders of .env.example and other values that must never reach production. Exit 0: all good; exit 1: every
# problem is printed, and compose starts nothing (the other services wait for this one to complete successfully).
# Try it on a .env:  set -a; . ./.env; set +a; sh docker/check-production-env.sh
problems=0
refuse() {
  echo "production-check: $1" >&2
  problems=$((problems + 1))
}

seen=""
for name in POSTGRES_PASSWORD KEYCLOAK_DB_PASSWORD HASURA_DB_PASSWORD KEYCLOAK_ADMIN_PASSWORD HASURA_GRAPHQL_ADMIN_SECRET; do
  eval "value=\${$name-}"
  case "$value" in
    "") refuse "$name is empty"; continue ;;
    *change-me*) refuse "$name is still the placeholder from .env.example: openssl rand -hex 32" ;;
  esac
  if [ "${#value}" -lt 16 ]; then
    refuse "$name has ${#value} characters, at least 16 are needed: openssl rand -hex 32"
  fi
  for other in $seen; do
    eval "other_value=\${$other-}"
    if [ "$value" = "$other_value" ]; then
      refuse "$name is the same as $other: every service needs its own secret"
    fi
  done
  seen="$seen $name"
done

for name in KEYCLOAK_PUBLIC_URL APP_URL; do
  eval "value=\${$name-}"
  case "$value" in
    https://*) ;;
    *) refuse "$name must be an https:// URL in production, not '$value'" ;;
  esac
done

if [ "$problems" -gt 0 ]; then
  echo "production-check: $problems problem(s) in .env; nothing was started" >&2
  exit 1
fi
echo "production-check: .env is fit for production"
