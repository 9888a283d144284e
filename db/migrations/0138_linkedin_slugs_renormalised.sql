-- LinkedIn profiles stored before normalizeLinkedInUrl dropped a slug's invisible characters and
-- composed its accents (lib/leads/normalize.ts): the same profile typed again now normalises to
-- another string, and would be added as a second lead. Stored slugs get the same treatment
-- (zero-width and other format characters dropped, NFC), where no other lead of the workspace
-- already holds the result; a slug that would be left empty is left as it was.
WITH wanted AS (
  SELECT l.id, l.url,
    row_number() OVER (PARTITION BY l.workspace_id, l.url ORDER BY l.created_at, l.id) AS nth
  FROM (
    SELECT id, workspace_id, created_at,
      normalize(regexp_replace(linkedin_url, '[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]', '', 'g'), NFC) AS url
    FROM "leads"
    WHERE linkedin_url ~ '[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]' OR linkedin_url IS NOT NFC NORMALIZED
  ) l
  WHERE l.url ~ '^https://www\.linkedin\.com/in/[^/?#]+$'
    AND NOT EXISTS (SELECT 1 FROM "leads" o WHERE o.workspace_id = l.workspace_id AND o.linkedin_url = l.url)
)
UPDATE "leads" l SET linkedin_url = w.url FROM wanted w WHERE l.id = w.id AND w.nth = 1;
