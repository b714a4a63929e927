-- An uploaded class list is parsed once, at upload: its rows are kept (`parsed`) for the preview
-- and the import, and the file itself is no longer stored (`content` stays empty; a list uploaded
-- before this change and not imported yet is uploaded again). Both are cleared at import and
-- every list is deleted within a day.
ALTER TABLE import_uploads ADD COLUMN parsed jsonb;
