ALTER TABLE public.notes DROP CONSTRAINT IF EXISTS notes_owner_id_fkey;
DROP TABLE IF EXISTS public.users;
DROP FUNCTION IF EXISTS public.users_set_updated_at();
