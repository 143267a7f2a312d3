//! Orderly's core: the whole order-management logic, with no knowledge of the desktop shell.
//!
//! - [`domain`]: pure types and rules (money, products, orders, stock movements); no I/O, no clock.
//! - [`db`]: connecting, migrating and every SQL statement, for SQLite and PostgreSQL alike.
//! - [`app`]: the application facade, one method per use case; the only entry for shells.
//! - [`cli`]: the `orderly` command line, thin over the facade.
//! - [`demo`]: a realistic demo shop for first start and benchmarks.
//! - [`routing`]: where each unit of an order ships from, with the cost and the reasons; pure.
//! - [`shipping`]: labels, packing slips, pick lists and purchase orders as PDF/ZPL, and printing.

pub mod app;
pub mod bench;
pub mod bench_shop;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod routing;
pub mod shipping;

pub use app::App;
pub use error::{Error, ErrorCode, Result};
