-- The app's own copy of Keycloak's users, written only by Keycloak's hasura-sync events listener (Hasura role
-- keycloak_sync): id is the Keycloak user id (= the token's sub = x-hasura-user-id).
CREATE TABLE public.users (
    id             text        PRIMARY KEY,
    username       text        NOT NULL,
    email          text,
    email_verified boolean     NOT NULL DEFAULT false,
    first_name     text,
    last_name      text,
    enabled        boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deleted_at     timestamptz
);

COMMENT ON TABLE public.users IS 'Keycloak users mirrored by the hasura-sync events listener (deleted_at: soft-deleted in Keycloak).';

CREATE FUNCTION public.users_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.users_set_updated_at();

-- Notes belong to a mirrored user. NOT VALID: notes written before the first sync (or before the initial load) are
-- not checked; new ones are. A hard delete (delete=hard) removes the user's notes with the user.
ALTER TABLE public.notes
    ADD CONSTRAINT notes_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users (id)
    ON UPDATE CASCADE ON DELETE CASCADE NOT VALID;
