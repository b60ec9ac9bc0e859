-- One Postgres for the demo stack: Hasura's app data in "app" (POSTGRES_DB), Keycloak's own tables in "keycloak".
CREATE DATABASE keycloak;
