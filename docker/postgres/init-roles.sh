#!/usr/bin/env bash
# One least-privilege login role per service, run once by the postgres image on an empty data directory
# (/docker-entrypoint-initdb.d, after it created POSTGRES_DB as the superuser POSTGRES_USER):
#   keycloak  owns the database "keycloak" (realm keys, password hashes, sessions) and can connect to nothing else;
#   hasura    owns the database POSTGRES_DB ("app": the app's tables and Hasura's hdb_catalog) and cannot connect to
#             "keycloak", so Hasura's admin secret (run_sql) never reaches Keycloak's data.
# The superuser (POSTGRES_PASSWORD) is used by neither service. An existing volume keeps its old roles: run this
# script once by hand against it, or start over with `docker compose down -v`.
set -eo pipefail
: "${POSTGRES_USER:?}" "${POSTGRES_DB:?}"
: "${KEYCLOAK_DB_PASSWORD:?set KEYCLOAK_DB_PASSWORD (see .env.example)}"
: "${HASURA_DB_PASSWORD:?set HASURA_DB_PASSWORD (see .env.example)}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_db="$POSTGRES_DB" -v keycloak_password="$KEYCLOAK_DB_PASSWORD" -v hasura_password="$HASURA_DB_PASSWORD" <<'SQL'
CREATE ROLE keycloak LOGIN PASSWORD :'keycloak_password';
CREATE ROLE hasura LOGIN PASSWORD :'hasura_password';

CREATE DATABASE keycloak OWNER keycloak;
-- Only the owner (and the superuser) may connect: not hasura, not any later role.
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;

-- Hasura creates its hdb_catalog schema and the pgcrypto extension (trusted: a database owner may) in its database;
-- since PostgreSQL 15 the owner of the database also owns its public schema.
ALTER DATABASE :"app_db" OWNER TO hasura;
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
-- The maintenance database holds nothing of either service; keep them out of it too.
REVOKE ALL ON DATABASE postgres FROM PUBLIC;
SQL
