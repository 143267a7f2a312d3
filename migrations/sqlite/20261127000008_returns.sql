-- Returns, refunds, exchanges and store credit (SQLite dialect). Keep logically identical to ../postgres/.

-- The ledger gains a `held` bucket: returned units that are back but not sellable (damaged, to
-- dispose, to send back to the vendor). Held units are never on hand nor available.
ALTER TABLE stock_movements ADD COLUMN held_delta INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stock_balances ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0);

-- Final-sale products cannot be returned without an override.
ALTER TABLE products ADD COLUMN final_sale BOOLEAN NOT NULL DEFAULT FALSE;

-- One customer return (RMA) of some units of one order: R-<order digits>-<n>.
CREATE TABLE returns (
    id                 BLOB PRIMARY KEY NOT NULL,
    number             TEXT NOT NULL UNIQUE,
    order_id           BLOB NOT NULL REFERENCES orders (id),
    seq                INTEGER NOT NULL CHECK (seq > 0),
    status             TEXT NOT NULL CHECK (status IN ('authorized', 'in_transit', 'partially_received',
                           'received', 'closed', 'cancelled')),
    method             TEXT NOT NULL CHECK (method IN ('ship_back', 'drop_off')),
    location_id        BLOB NOT NULL REFERENCES locations (id),
    policy_notes       TEXT NOT NULL,
    override_reason    TEXT,
    note               TEXT,
    carrier            TEXT,
    service            TEXT,
    tracking_number    TEXT,
    label_cost         INTEGER,
    label_weight_grams INTEGER,
    exchange_order_id  BLOB REFERENCES orders (id),
    cancel_reason      TEXT,
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (order_id, seq)
);
CREATE INDEX returns_order ON returns (order_id);
CREATE INDEX returns_location_status ON returns (location_id, status);

-- The units of one order line on a return and how many were inspected.
CREATE TABLE return_lines (
    return_id   BLOB NOT NULL REFERENCES returns (id),
    line_no     INTEGER NOT NULL,
    product_id  BLOB NOT NULL REFERENCES products (id),
    qty         INTEGER NOT NULL CHECK (qty > 0),
    received    INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= qty),
    reason      TEXT NOT NULL,
    condition   TEXT NOT NULL,
    note        TEXT,
    PRIMARY KEY (return_id, line_no)
);

-- Each inspection: how many units of a line got which disposition, where, by whom (append-only).
CREATE TABLE return_receipts (
    id           BLOB PRIMARY KEY NOT NULL,
    return_id    BLOB NOT NULL REFERENCES returns (id),
    line_no      INTEGER NOT NULL,
    disposition  TEXT NOT NULL CHECK (disposition IN ('restock', 'damaged', 'dispose', 'vendor')),
    qty          INTEGER NOT NULL CHECK (qty > 0),
    location_id  BLOB NOT NULL REFERENCES locations (id),
    note         TEXT,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX return_receipts_return ON return_receipts (return_id);

-- Money given back on an order: to the original payments, to store credit, or to an exchange.
-- `idempotency_key` makes a repeated request harmless.
CREATE TABLE refunds (
    id               BLOB PRIMARY KEY NOT NULL,
    order_id         BLOB NOT NULL REFERENCES orders (id),
    return_id        BLOB REFERENCES returns (id),
    amount           INTEGER NOT NULL CHECK (amount > 0),
    currency         TEXT NOT NULL,
    to_kind          TEXT NOT NULL CHECK (to_kind IN ('original', 'store_credit', 'exchange')),
    shipping         INTEGER NOT NULL DEFAULT 0 CHECK (shipping >= 0),
    reason           TEXT,
    before_receipt   BOOLEAN NOT NULL,
    breakdown        TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    actor            TEXT NOT NULL,
    at               TEXT NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_return ON refunds (return_id);

-- Which payment each refund came back from.
CREATE TABLE refund_payments (
    refund_id   BLOB NOT NULL REFERENCES refunds (id),
    payment_id  BLOB NOT NULL REFERENCES payments (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (refund_id, payment_id)
);

-- Store credit per customer (append-only): the balance is the sum of deltas.
CREATE TABLE store_credit (
    id           BLOB PRIMARY KEY NOT NULL,
    customer_id  BLOB NOT NULL REFERENCES customers (id),
    order_id     BLOB REFERENCES orders (id),
    refund_id    BLOB REFERENCES refunds (id),
    delta        INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX store_credit_customer ON store_credit (customer_id);

CREATE TRIGGER store_credit_append_only BEFORE UPDATE ON store_credit
BEGIN SELECT RAISE(ABORT, 'store_credit is append-only'); END;
CREATE TRIGGER return_receipts_append_only BEFORE UPDATE ON return_receipts
BEGIN SELECT RAISE(ABORT, 'return_receipts is append-only'); END;

-- Customer e-mails gain the return label. SQLite cannot change a CHECK, so the outbox is rebuilt
-- with the same columns and its rows copied.
ALTER TABLE mail_outbox RENAME TO mail_outbox_before_returns;
CREATE TABLE mail_outbox (
    id               BLOB PRIMARY KEY NOT NULL,
    dedupe_key       TEXT NOT NULL UNIQUE,
    order_id         BLOB REFERENCES orders (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('order_confirmation', 'shipped', 'ready_for_pickup', 'purchase_order', 'return_label', 'test')),
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
INSERT INTO mail_outbox SELECT * FROM mail_outbox_before_returns;
DROP TABLE mail_outbox_before_returns;
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_order ON mail_outbox (order_id);
