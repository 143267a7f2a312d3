-- Orderly foundation schema (PostgreSQL dialect). Keep logically identical to ../sqlite/.
-- Ids are UUIDv7; times are timestamptz (UTC); money is bigint minor units.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE channels (
    id            UUID PRIMARY KEY NOT NULL,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    safety_stock  BIGINT NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE locations (
    id                UUID PRIMARY KEY NOT NULL,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('warehouse', 'store', 'dropship')),
    address           TEXT NOT NULL,
    latitude          DOUBLE PRECISION NOT NULL,
    longitude         DOUBLE PRECISION NOT NULL,
    can_ship          BOOLEAN NOT NULL,
    can_pickup        BOOLEAN NOT NULL,
    priority          INTEGER NOT NULL,
    rate_base         BIGINT NOT NULL CHECK (rate_base >= 0),
    rate_per_kg       BIGINT NOT NULL CHECK (rate_per_kg >= 0),
    rate_per_1000_km  BIGINT NOT NULL CHECK (rate_per_1000_km >= 0),
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE products (
    id               UUID PRIMARY KEY NOT NULL,
    sku              TEXT COLLATE "C" NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    barcode          TEXT UNIQUE,
    price            BIGINT NOT NULL CHECK (price >= 0),
    currency         TEXT NOT NULL,
    weight_grams     BIGINT NOT NULL CHECK (weight_grams >= 0),
    length_mm        BIGINT NOT NULL CHECK (length_mm >= 0),
    width_mm         BIGINT NOT NULL CHECK (width_mm >= 0),
    height_mm        BIGINT NOT NULL CHECK (height_mm >= 0),
    active           BOOLEAN NOT NULL,
    allow_backorder  BOOLEAN NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX products_name ON products (name);

CREATE TABLE customers (
    id          UUID PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT COLLATE "C" NOT NULL,
    email       TEXT COLLATE "C",
    phone       TEXT COLLATE "C",
    phone_key   TEXT COLLATE "C",
    addresses   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX customers_name_key ON customers (name_key);
CREATE INDEX customers_email ON customers (email);
CREATE INDEX customers_phone_key ON customers (phone_key);

CREATE TABLE orders (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                  UUID NOT NULL UNIQUE,
    channel_id          UUID NOT NULL REFERENCES channels (id),
    channel_ref         TEXT,
    customer_id         UUID REFERENCES customers (id),
    customer_name       TEXT,
    status              TEXT NOT NULL,
    currency            TEXT NOT NULL,
    ship_to             TEXT,
    pickup_location_id  UUID REFERENCES locations (id),
    subtotal            BIGINT NOT NULL,
    discount_total      BIGINT NOT NULL,
    shipping            BIGINT NOT NULL,
    tax_total           BIGINT NOT NULL,
    total               BIGINT NOT NULL,
    item_count          BIGINT NOT NULL,
    tax_rate_bp         BIGINT NOT NULL,
    attributes          TEXT NOT NULL,
    notes               TEXT,
    created_by          TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
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
    order_id     UUID NOT NULL REFERENCES orders (id),
    line_no      INTEGER NOT NULL,
    product_id   UUID NOT NULL REFERENCES products (id),
    sku          TEXT NOT NULL,
    name         TEXT NOT NULL,
    qty          BIGINT NOT NULL CHECK (qty > 0),
    unit_price   BIGINT NOT NULL,
    discount     BIGINT NOT NULL,
    tax          BIGINT NOT NULL,
    total        BIGINT NOT NULL,
    backordered  BIGINT NOT NULL CHECK (backordered >= 0 AND backordered <= qty),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE payments (
    id          UUID PRIMARY KEY NOT NULL,
    order_id    UUID NOT NULL REFERENCES orders (id),
    method      TEXT NOT NULL,
    authorized  BIGINT NOT NULL CHECK (authorized >= 0),
    captured    BIGINT NOT NULL CHECK (captured >= 0 AND captured <= authorized),
    refunded    BIGINT NOT NULL CHECK (refunded >= 0 AND refunded <= captured),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE reservations (
    id           UUID PRIMARY KEY NOT NULL,
    order_id     UUID NOT NULL REFERENCES orders (id),
    line_no      INTEGER NOT NULL,
    product_id   UUID NOT NULL REFERENCES products (id),
    location_id  UUID NOT NULL REFERENCES locations (id),
    qty          BIGINT NOT NULL CHECK (qty > 0),
    state        TEXT NOT NULL CHECK (state IN ('reserved', 'released', 'shipped')),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX reservations_order ON reservations (order_id);

CREATE TABLE order_events (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id        UUID NOT NULL UNIQUE,
    order_id  UUID NOT NULL REFERENCES orders (id),
    kind      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    summary   TEXT NOT NULL,
    details   TEXT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, seq);

CREATE TABLE transfers (
    id                UUID PRIMARY KEY NOT NULL,
    product_id        UUID NOT NULL REFERENCES products (id),
    from_location_id  UUID NOT NULL REFERENCES locations (id),
    to_location_id    UUID NOT NULL REFERENCES locations (id),
    qty               BIGINT NOT NULL CHECK (qty > 0),
    created_at        TIMESTAMPTZ NOT NULL,
    received_at       TIMESTAMPTZ
);

CREATE TABLE stock_movements (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id      UUID NOT NULL REFERENCES products (id),
    location_id     UUID NOT NULL REFERENCES locations (id),
    kind            TEXT NOT NULL,
    on_hand_delta   BIGINT NOT NULL,
    reserved_delta  BIGINT NOT NULL,
    incoming_delta  BIGINT NOT NULL,
    reason          TEXT,
    order_id        UUID REFERENCES orders (id),
    transfer_id     UUID REFERENCES transfers (id),
    actor           TEXT NOT NULL,
    at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX stock_movements_item ON stock_movements (product_id, location_id, seq);

CREATE TABLE stock_balances (
    product_id    UUID NOT NULL REFERENCES products (id),
    location_id   UUID NOT NULL REFERENCES locations (id),
    on_hand       BIGINT NOT NULL DEFAULT 0,
    reserved      BIGINT NOT NULL DEFAULT 0,
    incoming      BIGINT NOT NULL DEFAULT 0,
    safety_stock  BIGINT NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    PRIMARY KEY (product_id, location_id),
    CHECK (on_hand >= 0),
    CHECK (reserved >= 0),
    CHECK (reserved <= on_hand),
    CHECK (incoming >= 0)
);
CREATE INDEX stock_balances_location ON stock_balances (location_id, product_id);

CREATE FUNCTION orderly_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION orderly_append_only();
CREATE TRIGGER order_events_append_only BEFORE UPDATE ON order_events
    FOR EACH ROW EXECUTE FUNCTION orderly_append_only();
