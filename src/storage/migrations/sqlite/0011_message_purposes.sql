-- The purposes a campaign's message was decided for at launch (compliance.md §2 rule 12): its own
-- purpose, or what the template's content made it, and the further purposes the content needs.
-- Comma-separated, the primary first; null before the launch.
ALTER TABLE campaigns ADD COLUMN purposes TEXT;
