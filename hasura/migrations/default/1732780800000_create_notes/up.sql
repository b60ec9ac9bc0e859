-- Example app data: notes owned by a Keycloak user (owner_id = x-hasura-user-id = the token's sub).
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE public.notes (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id   text        NOT NULL,
    title      text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body       text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX notes_owner_id_idx ON public.notes (owner_id);

COMMENT ON TABLE public.notes IS 'Notes owned by a Keycloak user (owner_id = Keycloak user id).';
