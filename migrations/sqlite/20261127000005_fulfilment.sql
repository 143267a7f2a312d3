-- Fulfilment (SQLite dialect). Keep logically identical to ../postgres/.

-- The delivery date promised to the customer (YYYY-MM-DD), when the channel gave one.
ALTER TABLE orders ADD COLUMN promised_by TEXT;

-- Where a product sits at a location (shelf / bin code); pick lists are sorted by it.
CREATE TABLE bins (
    product_id   BLOB NOT NULL REFERENCES products (id),
    location_id  BLOB NOT NULL REFERENCES locations (id),
    bin          TEXT NOT NULL,
    PRIMARY KEY (product_id, location_id)
);

-- A batch of shipments picked together at one location.
CREATE TABLE pick_lists (
    id           BLOB PRIMARY KEY NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    location_id  BLOB NOT NULL REFERENCES locations (id),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

-- What one location sends (or hands over) for one order: picked, packed, labelled, handed to the
-- carrier, tracked to the door; or, for pick-up orders, made ready and collected.
CREATE TABLE shipments (
    id               BLOB PRIMARY KEY NOT NULL,
    number           TEXT NOT NULL UNIQUE,
    order_id         BLOB NOT NULL REFERENCES orders (id),
    location_id      BLOB NOT NULL REFERENCES locations (id),
    pick_list_id     BLOB REFERENCES pick_lists (id),
    kind             TEXT NOT NULL CHECK (kind IN ('ship', 'pickup', 'dropship')),
    status           TEXT NOT NULL CHECK (status IN ('picking', 'packed', 'labelled', 'po_sent', 'shipped',
                         'in_transit', 'out_for_delivery', 'delivered', 'exception', 'ready_for_pickup',
                         'collected', 'released', 'cancelled')),
    carrier          TEXT,
    service          TEXT,
    tracking_number  TEXT,
    shipping_cost    INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    packed_at        TEXT,
    shipped_at       TEXT,
    delivered_at     TEXT,
    ready_at         TEXT
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_location_status ON shipments (location_id, status);
CREATE INDEX shipments_tracking ON shipments (tracking_number);
CREATE INDEX shipments_pick_list ON shipments (pick_list_id);

-- The units of each order line a shipment carries; `packed` counts the scans that verified them.
CREATE TABLE shipment_lines (
    shipment_id  BLOB NOT NULL REFERENCES shipments (id),
    line_no      INTEGER NOT NULL,
    product_id   BLOB NOT NULL REFERENCES products (id),
    qty          INTEGER NOT NULL CHECK (qty >= 0),
    packed       INTEGER NOT NULL DEFAULT 0 CHECK (packed >= 0 AND packed <= qty),
    PRIMARY KEY (shipment_id, line_no)
);

-- The parcels a shipment became, each with its own weight, size and tracking number.
CREATE TABLE packages (
    shipment_id      BLOB NOT NULL REFERENCES shipments (id),
    seq              INTEGER NOT NULL CHECK (seq > 0),
    weight_grams     INTEGER NOT NULL CHECK (weight_grams > 0),
    length_mm        INTEGER NOT NULL CHECK (length_mm >= 0),
    width_mm         INTEGER NOT NULL CHECK (width_mm >= 0),
    height_mm        INTEGER NOT NULL CHECK (height_mm >= 0),
    tracking_number  TEXT,
    PRIMARY KEY (shipment_id, seq)
);
CREATE INDEX packages_tracking ON packages (tracking_number);

-- Carrier scans and the shop's own notes about a shipment's journey (append-only). The UNIQUE key
-- makes importing the same carrier file twice harmless.
CREATE TABLE tracking_events (
    id           BLOB PRIMARY KEY NOT NULL,
    shipment_id  BLOB NOT NULL REFERENCES shipments (id),
    kind         TEXT NOT NULL CHECK (kind IN ('label_created', 'picked_up', 'in_transit', 'out_for_delivery',
                     'delivered', 'exception')),
    at           TEXT NOT NULL,
    place        TEXT,
    note         TEXT,
    source       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (shipment_id, kind, at)
);
CREATE TRIGGER tracking_events_append_only BEFORE UPDATE ON tracking_events
BEGIN SELECT RAISE(ABORT, 'tracking_events is append-only'); END;

-- Work queues look up what is still reserved at a location.
CREATE INDEX reservations_open ON reservations (location_id, order_id) WHERE state = 'reserved';
