-- Keycloak organization memberships, written only by Keycloak's hasura-sync events listener (Hasura role
-- keycloak_sync): one row per (Keycloak organization id, Keycloak user id). A join inserts the row (and clears
-- deleted_at on a re-join); a leave, also when the organization is deleted, sets deleted_at (delete=soft, default) or
-- deletes the row (delete=hard).
CREATE TABLE public.organization_members (
    organization_id text        NOT NULL,
    user_id         text        NOT NULL REFERENCES public.users (id) ON UPDATE CASCADE ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    PRIMARY KEY (organization_id, user_id)
);

COMMENT ON TABLE public.organization_members IS 'Keycloak organization memberships mirrored by the hasura-sync events listener (deleted_at: left).';

CREATE INDEX organization_members_user_id_idx ON public.organization_members (user_id);

CREATE TRIGGER organization_members_set_updated_at BEFORE UPDATE ON public.organization_members
    FOR EACH ROW EXECUTE FUNCTION public.users_set_updated_at();
