DROP TABLE IF EXISTS public.projects;
