-- Rate cards (PostgreSQL dialect). Keep logically identical to ../sqlite/.

-- Every saved version of the carriers, services and rate cards (JSON, docs/rates.md); the highest
-- version is in force. Versions are never changed or deleted.
CREATE TABLE rate_cards (
    version     BIGINT PRIMARY KEY NOT NULL CHECK (version > 0),
    cards       TEXT NOT NULL,
    note        TEXT,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER rate_cards_append_only BEFORE UPDATE ON rate_cards
    FOR EACH ROW EXECUTE FUNCTION orderly_append_only();
