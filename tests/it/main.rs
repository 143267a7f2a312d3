//! The core's integration tests: one binary, every module below. Each scenario runs against a
//! fresh SQLite file and, when `ORDERLY_TEST_PG_URL` is set, a fresh PostgreSQL schema.

mod support;

mod bench_shop;
mod capture;
mod cli;
mod concurrency;
mod crash;
mod customers;
mod fulfilment;
mod inventory;
mod labels;
mod ledger_properties;
mod mail;
mod orders_search;
mod rates;
mod return_docs;
mod returns;
mod routing;
mod routing_app;
mod schema;
mod what_if;
