-- Fulfilment (PostgreSQL dialect). Keep logically identical to ../sqlite/.

-- The delivery date promised to the customer (YYYY-MM-DD), when the channel gave one.
ALTER TABLE orders ADD COLUMN promised_by DATE;

-- Where a product sits at a location (shelf / bin code); pick lists are sorted by it.
CREATE TABLE bins (
    product_id   UUID NOT NULL REFERENCES products (id),
    location_id  UUID NOT NULL REFERENCES locations (id),
    bin          TEXT NOT NULL,
    PRIMARY KEY (product_id, location_id)
);

-- A batch of shipments picked together at one location.
CREATE TABLE pick_lists (
    id           UUID PRIMARY KEY NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    location_id  UUID NOT NULL REFERENCES locations (id),
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- What one location sends (or hands over) for one order: picked, packed, labelled, handed to the
-- carrier, tracked to the door; or, for pick-up orders, made ready and collected.
CREATE TABLE shipments (
    id               UUID PRIMARY KEY NOT NULL,
    number           TEXT NOT NULL UNIQUE,
    order_id         UUID NOT NULL REFERENCES orders (id),
    location_id      UUID NOT NULL REFERENCES locations (id),
    pick_list_id     UUID REFERENCES pick_lists (id),
    kind             TEXT NOT NULL CHECK (kind IN ('ship', 'pickup', 'dropship')),
    status           TEXT NOT NULL CHECK (status IN ('picking', 'packed', 'labelled', 'po_sent', 'shipped',
                         'in_transit', 'out_for_delivery', 'delivered', 'exception', 'ready_for_pickup',
                         'collected', 'released', 'cancelled')),
    carrier          TEXT,
    service          TEXT,
    tracking_number  TEXT,
    shipping_cost    BIGINT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    packed_at        TIMESTAMPTZ,
    shipped_at       TIMESTAMPTZ,
    delivered_at     TIMESTAMPTZ,
    ready_at         TIMESTAMPTZ
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_location_status ON shipments (location_id, status);
CREATE INDEX shipments_tracking ON shipments (tracking_number);
CREATE INDEX shipments_pick_list ON shipments (pick_list_id);

-- The units of each order line a shipment carries; `packed` counts the scans that verified them.
CREATE TABLE shipment_lines (
    shipment_id  UUID NOT NULL REFERENCES shipments (id),
    line_no      INTEGER NOT NULL,
    product_id   UUID NOT NULL REFERENCES products (id),
    qty          BIGINT NOT NULL CHECK (qty >= 0),
    packed       BIGINT NOT NULL DEFAULT 0 CHECK (packed >= 0 AND packed <= qty),
    PRIMARY KEY (shipment_id, line_no)
);

-- The parcels a shipment became, each with its own weight, size and tracking number.
CREATE TABLE packages (
    shipment_id      UUID NOT NULL REFERENCES shipments (id),
    seq              INTEGER NOT NULL CHECK (seq > 0),
    weight_grams     BIGINT NOT NULL CHECK (weight_grams > 0),
    length_mm        BIGINT NOT NULL CHECK (length_mm >= 0),
    width_mm         BIGINT NOT NULL CHECK (width_mm >= 0),
    height_mm        BIGINT NOT NULL CHECK (height_mm >= 0),
    tracking_number  TEXT,
    PRIMARY KEY (shipment_id, seq)
);
CREATE INDEX packages_tracking ON packages (tracking_number);

-- Carrier scans and the shop's own notes about a shipment's journey (append-only). The UNIQUE key
-- makes importing the same carrier file twice harmless.
CREATE TABLE tracking_events (
    id           UUID PRIMARY KEY NOT NULL,
    shipment_id  UUID NOT NULL REFERENCES shipments (id),
    kind         TEXT NOT NULL CHECK (kind IN ('label_created', 'picked_up', 'in_transit', 'out_for_delivery',
                     'delivered', 'exception')),
    at           TIMESTAMPTZ NOT NULL,
    place        TEXT,
    note         TEXT,
    source       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (shipment_id, kind, at)
);
CREATE TRIGGER tracking_events_append_only BEFORE UPDATE ON tracking_events
    FOR EACH ROW EXECUTE FUNCTION orderly_append_only();

-- Work queues look up what is still reserved at a location.
CREATE INDEX reservations_open ON reservations (location_id, order_id) WHERE state = 'reserved';
