-- Example multi-tenant data: projects of a Keycloak organization (org_id = x-hasura-org-id = the organization's id).
CREATE TABLE public.projects (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     text        NOT NULL,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_by text        NOT NULL,
    archived   boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX projects_org_id_idx ON public.projects (org_id);

COMMENT ON TABLE public.projects IS 'Projects of a Keycloak organization (org_id = Keycloak organization id).';
