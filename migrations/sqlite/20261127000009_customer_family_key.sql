-- Customers are found by the start of their family name too ("patel" finds "Yara Patel"): the lower-cased
-- name after its first word, kept by the database itself and indexed. SQLite dialect; keep logically
-- identical to ../postgres/.
ALTER TABLE customers ADD COLUMN family_key TEXT GENERATED ALWAYS AS (
    CASE WHEN instr(name_key, ' ') > 0 THEN ltrim(substr(name_key, instr(name_key, ' ') + 1)) END
) VIRTUAL;
CREATE INDEX customers_family_key ON customers (family_key);
