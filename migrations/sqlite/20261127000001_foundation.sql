-- Orderly foundation schema (SQLite dialect). Keep logically identical to ../postgres/.
-- Ids are UUIDv7 stored as 16-byte BLOBs; times are RFC 3339 UTC text; money is integer minor units.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE channels (
    id            BLOB PRIMARY KEY NOT NULL,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    safety_stock  INTEGER NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    created_at    TEXT NOT NULL
);

CREATE TABLE locations (
    id                BLOB PRIMARY KEY NOT NULL,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('warehouse', 'store', 'dropship')),
    address           TEXT NOT NULL,
    latitude          REAL NOT NULL,
    longitude         REAL NOT NULL,
    can_ship          BOOLEAN NOT NULL,
    can_pickup        BOOLEAN NOT NULL,
    priority          INTEGER NOT NULL,
    rate_base         INTEGER NOT NULL CHECK (rate_base >= 0),
    rate_per_kg       INTEGER NOT NULL CHECK (rate_per_kg >= 0),
    rate_per_1000_km  INTEGER NOT NULL CHECK (rate_per_1000_km >= 0),
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    created_at        TEXT NOT NULL
);

CREATE TABLE products (
    id               BLOB PRIMARY KEY NOT NULL,
    sku              TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    barcode          TEXT UNIQUE,
    price            INTEGER NOT NULL CHECK (price >= 0),
    currency         TEXT NOT NULL,
    weight_grams     INTEGER NOT NULL CHECK (weight_grams >= 0),
    length_mm        INTEGER NOT NULL CHECK (length_mm >= 0),
    width_mm         INTEGER NOT NULL CHECK (width_mm >= 0),
    height_mm        INTEGER NOT NULL CHECK (height_mm >= 0),
    active           BOOLEAN NOT NULL,
    allow_backorder  BOOLEAN NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX products_name ON products (name);

CREATE TABLE customers (
    id          BLOB PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    email       TEXT,
    phone       TEXT,
    phone_key   TEXT,
    addresses   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX customers_name_key ON customers (name_key);
CREATE INDEX customers_email ON customers (email);
CREATE INDEX customers_phone_key ON customers (phone_key);

CREATE TABLE orders (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    id                  BLOB NOT NULL UNIQUE,
    channel_id          BLOB NOT NULL REFERENCES channels (id),
    channel_ref         TEXT,
    customer_id         BLOB REFERENCES customers (id),
    customer_name       TEXT,
    status              TEXT NOT NULL,
    currency            TEXT NOT NULL,
    ship_to             TEXT,
    pickup_location_id  BLOB REFERENCES locations (id),
    subtotal            INTEGER NOT NULL,
    discount_total      INTEGER NOT NULL,
    shipping            INTEGER NOT NULL,
    tax_total           INTEGER NOT NULL,
    total               INTEGER NOT NULL,
    item_count          INTEGER NOT NULL,
    tax_rate_bp         INTEGER NOT NULL,
    attributes          TEXT NOT NULL,
    notes               TEXT,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (channel_id, channel_ref)
);
CREATE INDEX orders_created_at ON orders (created_at);
CREATE INDEX orders_status_created ON orders (status, created_at);
CREATE INDEX orders_channel_created ON orders (channel_id, created_at);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_customer_name ON orders (customer_name);
CREATE INDEX orders_total ON orders (total);
CREATE INDEX orders_channel_ref ON orders (channel_ref);

CREATE TABLE order_lines (
    order_id     BLOB NOT NULL REFERENCES orders (id),
    line_no      INTEGER NOT NULL,
    product_id   BLOB NOT NULL REFERENCES products (id),
    sku          TEXT NOT NULL,
    name         TEXT NOT NULL,
    qty          INTEGER NOT NULL CHECK (qty > 0),
    unit_price   INTEGER NOT NULL,
    discount     INTEGER NOT NULL,
    tax          INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    backordered  INTEGER NOT NULL CHECK (backordered >= 0 AND backordered <= qty),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE payments (
    id          BLOB PRIMARY KEY NOT NULL,
    order_id    BLOB NOT NULL REFERENCES orders (id),
    method      TEXT NOT NULL,
    authorized  INTEGER NOT NULL CHECK (authorized >= 0),
    captured    INTEGER NOT NULL CHECK (captured >= 0 AND captured <= authorized),
    refunded    INTEGER NOT NULL CHECK (refunded >= 0 AND refunded <= captured),
    created_at  TEXT NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE reservations (
    id           BLOB PRIMARY KEY NOT NULL,
    order_id     BLOB NOT NULL REFERENCES orders (id),
    line_no      INTEGER NOT NULL,
    product_id   BLOB NOT NULL REFERENCES products (id),
    location_id  BLOB NOT NULL REFERENCES locations (id),
    qty          INTEGER NOT NULL CHECK (qty > 0),
    state        TEXT NOT NULL CHECK (state IN ('reserved', 'released', 'shipped')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX reservations_order ON reservations (order_id);

CREATE TABLE order_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        BLOB NOT NULL UNIQUE,
    order_id  BLOB NOT NULL REFERENCES orders (id),
    kind      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    summary   TEXT NOT NULL,
    details   TEXT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, seq);

CREATE TABLE transfers (
    id                BLOB PRIMARY KEY NOT NULL,
    product_id        BLOB NOT NULL REFERENCES products (id),
    from_location_id  BLOB NOT NULL REFERENCES locations (id),
    to_location_id    BLOB NOT NULL REFERENCES locations (id),
    qty               INTEGER NOT NULL CHECK (qty > 0),
    created_at        TEXT NOT NULL,
    received_at       TEXT
);

CREATE TABLE stock_movements (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id      BLOB NOT NULL REFERENCES products (id),
    location_id     BLOB NOT NULL REFERENCES locations (id),
    kind            TEXT NOT NULL,
    on_hand_delta   INTEGER NOT NULL,
    reserved_delta  INTEGER NOT NULL,
    incoming_delta  INTEGER NOT NULL,
    reason          TEXT,
    order_id        BLOB REFERENCES orders (id),
    transfer_id     BLOB REFERENCES transfers (id),
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX stock_movements_item ON stock_movements (product_id, location_id, seq);

-- Balances are derived from stock_movements and updated in the same transaction as each movement.
-- The CHECKs are the last line of defence against overselling.
CREATE TABLE stock_balances (
    product_id    BLOB NOT NULL REFERENCES products (id),
    location_id   BLOB NOT NULL REFERENCES locations (id),
    on_hand       INTEGER NOT NULL DEFAULT 0,
    reserved      INTEGER NOT NULL DEFAULT 0,
    incoming      INTEGER NOT NULL DEFAULT 0,
    safety_stock  INTEGER NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    PRIMARY KEY (product_id, location_id),
    CHECK (on_hand >= 0),
    CHECK (reserved >= 0),
    CHECK (reserved <= on_hand),
    CHECK (incoming >= 0)
);
CREATE INDEX stock_balances_location ON stock_balances (location_id, product_id);

-- The ledger and the timeline are append-only.
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END;
CREATE TRIGGER order_events_append_only BEFORE UPDATE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
