#!/usr/bin/env python3
"""Times the orders-list queries of Orderly's SQLite schema over 1,000,000 orders.

A stop-gap until `orderly bench` (issue 3): it copies a demo database, bulk-inserts a million
synthetic orders with plain SQL, and times the exact statements `db::orders::list_orders` issues
(median of 5 runs each, in milliseconds).

    target/debug/orderly --db sqlite:///tmp/bench/orderly.db demo
    python3 scripts/bench/orders_list_1m.py /tmp/bench/orderly.db
"""
import sqlite3
import statistics
import sys
import time

path = sys.argv[1]
c = sqlite3.connect(path)
n = c.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
if n < 1_000_000:
    c.execute("PRAGMA synchronous=OFF")
    c.execute("""
    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000000)
    INSERT INTO orders (id, channel_id, channel_ref, customer_id, customer_name, status, currency, ship_to,
      pickup_location_id, subtotal, discount_total, shipping, tax_total, total, item_count, tax_rate_bp,
      attributes, notes, created_by, created_at, updated_at)
    SELECT randomblob(16),
      (SELECT id FROM channels WHERE code = CASE i % 4 WHEN 0 THEN 'WEB' WHEN 1 THEN 'COUNTER'
                                                  WHEN 2 THEN 'PHONE' ELSE 'MARKETPLACE' END),
      'BULK-' || i, NULL, 'Bulk Customer ' || (i % 5000),
      CASE i % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'shipped' WHEN 2 THEN 'delivered' WHEN 3 THEN 'completed'
                 ELSE 'cancelled' END,
      'USD', NULL, NULL, 1000 + (i % 9000), 0, 0, 0, 1000 + (i % 9000), 1 + (i % 4), 0, '[]', NULL, 'bulk',
      strftime('%Y-%m-%dT%H:%M:%S+00:00', '2024-01-01', '+' || (i * 60) || ' seconds'),
      strftime('%Y-%m-%dT%H:%M:%S+00:00', '2024-01-01', '+' || (i * 60) || ' seconds')
    FROM k""")
    c.commit()
print(f"orders: {c.execute('SELECT COUNT(*) FROM orders').fetchone()[0]}")

base = ("SELECT o.seq, o.id, o.created_at, ch.code, o.customer_name, o.status, o.item_count, o.total, "
        "o.currency, l.code FROM orders o JOIN channels ch ON ch.id = o.channel_id "
        "LEFT JOIN locations l ON l.id = o.pickup_location_id ")
web = "(SELECT id FROM channels WHERE code = 'WEB')"
cases = [
    ("count, no filter", "SELECT COUNT(*) FROM orders o"),
    ("first page, newest first", base + "ORDER BY o.created_at DESC, o.seq DESC LIMIT 100"),
    ("page at offset 500,000", base + "ORDER BY o.seq DESC LIMIT 100 OFFSET 500000"),
    ("status filter: count", "SELECT COUNT(*) FROM orders o WHERE o.status = 'open'"),
    ("status filter: first page", base + "WHERE o.status = 'open' ORDER BY o.created_at DESC, o.seq DESC LIMIT 100"),
    ("channel filter: count", f"SELECT COUNT(*) FROM orders o WHERE o.channel_id = {web}"),
    ("channel filter: first page", base + f"WHERE o.channel_id = {web} ORDER BY o.created_at DESC, o.seq DESC LIMIT 100"),
    ("search by customer name", base + "WHERE (o.channel_ref = 'ivan' OR o.customer_id IN (SELECT id FROM customers "
     "WHERE name_key >= 'ivan' AND name_key < 'ivan\U0010ffff' UNION SELECT id FROM customers WHERE email >= 'ivan' "
     "AND email < 'ivan\U0010ffff')) ORDER BY o.created_at DESC, o.seq DESC LIMIT 100"),
    ("search by order number", base + "WHERE (o.seq = 500000 OR o.channel_ref = 'SO-510000') LIMIT 100"),
]
for label, sql in cases:
    times = []
    for _ in range(5):
        t = time.perf_counter()
        c.execute(sql).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    print(f"{statistics.median(times):8.2f} ms  {label}")
