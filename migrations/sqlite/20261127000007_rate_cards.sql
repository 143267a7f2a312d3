-- Rate cards (SQLite dialect). Keep logically identical to ../postgres/.

-- Every saved version of the carriers, services and rate cards (JSON, docs/rates.md); the highest
-- version is in force. Versions are never changed or deleted.
CREATE TABLE rate_cards (
    version     INTEGER PRIMARY KEY NOT NULL CHECK (version > 0),
    cards       TEXT NOT NULL,
    note        TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TRIGGER rate_cards_append_only BEFORE UPDATE ON rate_cards
BEGIN SELECT RAISE(ABORT, 'rate_cards is append-only'); END;
