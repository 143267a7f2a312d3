-- Customer e-mail outbox (SQLite dialect). Keep logically identical to ../postgres/.
-- Use cases queue rows in their own transaction; the dispatcher sends them later over SMTP, so a
-- mail outage never blocks an order. dedupe_key makes queuing idempotent (`shipped:<shipment id>`).

CREATE TABLE mail_outbox (
    id               BLOB PRIMARY KEY NOT NULL,
    dedupe_key       TEXT NOT NULL UNIQUE,
    order_id         BLOB REFERENCES orders (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('order_confirmation', 'shipped', 'ready_for_pickup', 'purchase_order', 'test')),
    to_address       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT,
    attachment_name  TEXT,
    attachment       BLOB,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_order ON mail_outbox (order_id);
