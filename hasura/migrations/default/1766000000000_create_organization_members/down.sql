DROP TABLE IF EXISTS public.organization_members;
