-- What a campaign's message was decided for, what it supplies to its template, and why it stopped.
-- purposes: at launch (compliance.md §2 rule 12), its own purpose or what the template's content made
-- it, and the further purposes the content needs; comma-separated, the primary first; null before.
ALTER TABLE campaigns ADD COLUMN purposes TEXT;
-- vars and links: the values and URLs every message of the campaign fills its template with (JSON objects).
ALTER TABLE campaigns ADD COLUMN vars TEXT NOT NULL DEFAULT '{}';
ALTER TABLE campaigns ADD COLUMN links TEXT NOT NULL DEFAULT '{}';
-- Why a campaign was paused by Lupa itself (a template that cannot be sent, a channel refusing every
-- hand-off): a stable error code and a message written for the operator; null when paused by hand.
ALTER TABLE campaigns ADD COLUMN status_reason TEXT;
