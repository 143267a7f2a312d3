-- Routing (SQLite dialect). Keep logically identical to ../postgres/.

-- Every saved version of the routing settings; the highest version is in force. Versions are never
-- changed or deleted, so each routed order can say which settings routed it.
CREATE TABLE routing_settings (
    version     INTEGER PRIMARY KEY NOT NULL CHECK (version > 0),
    settings    TEXT NOT NULL,
    note        TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TRIGGER routing_settings_append_only BEFORE UPDATE ON routing_settings
BEGIN SELECT RAISE(ABORT, 'routing_settings is append-only'); END;

-- Each routing decision for an order (at capture, re-route, backorder allocation): the plan, its
-- explanation and the settings version (0 = built-in defaults) that produced it.
CREATE TABLE order_routes (
    id                BLOB PRIMARY KEY NOT NULL,
    order_id          BLOB NOT NULL REFERENCES orders (id),
    kind              TEXT NOT NULL CHECK (kind IN ('capture', 'reroute', 'backorder')),
    settings_version  INTEGER NOT NULL,
    objective         TEXT NOT NULL,
    total_cost        INTEGER NOT NULL,
    plan              TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX order_routes_order ON order_routes (order_id, created_at);
CREATE TRIGGER order_routes_append_only BEFORE UPDATE ON order_routes
BEGIN SELECT RAISE(ABORT, 'order_routes is append-only'); END;

-- Daily capacity counts today's shipments per location; backorder allocation walks open
-- backordered lines per product, oldest order first.
CREATE INDEX reservations_location_created ON reservations (location_id, created_at);
CREATE INDEX order_lines_backordered ON order_lines (product_id) WHERE backordered > 0;
