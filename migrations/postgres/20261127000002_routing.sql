-- Routing (PostgreSQL dialect). Keep logically identical to ../sqlite/.

-- Every saved version of the routing settings; the highest version is in force. Versions are never
-- changed or deleted, so each routed order can say which settings routed it.
CREATE TABLE routing_settings (
    version     BIGINT PRIMARY KEY NOT NULL CHECK (version > 0),
    settings    TEXT NOT NULL,
    note        TEXT,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER routing_settings_append_only BEFORE UPDATE ON routing_settings
    FOR EACH ROW EXECUTE FUNCTION orderly_append_only();

-- Each routing decision for an order (at capture, re-route, backorder allocation): the plan, its
-- explanation and the settings version (0 = built-in defaults) that produced it.
CREATE TABLE order_routes (
    id                UUID PRIMARY KEY NOT NULL,
    order_id          UUID NOT NULL REFERENCES orders (id),
    kind              TEXT NOT NULL CHECK (kind IN ('capture', 'reroute', 'backorder')),
    settings_version  BIGINT NOT NULL,
    objective         TEXT NOT NULL,
    total_cost        BIGINT NOT NULL,
    plan              TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_routes_order ON order_routes (order_id, created_at);
CREATE TRIGGER order_routes_append_only BEFORE UPDATE ON order_routes
    FOR EACH ROW EXECUTE FUNCTION orderly_append_only();

-- Daily capacity counts today's shipments per location; backorder allocation walks open
-- backordered lines per product, oldest order first.
CREATE INDEX reservations_location_created ON reservations (location_id, created_at);
CREATE INDEX order_lines_backordered ON order_lines (product_id) WHERE backordered > 0;
