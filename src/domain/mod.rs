//! Pure types and rules of the shop: money, identifiers, products, locations, orders and stock
//! movements. Nothing here does I/O or reads the clock; time is passed in.

pub mod address;
pub mod catalog;
pub mod customer;
pub mod fulfilment;
pub mod ids;
pub mod mail;
pub mod money;
pub mod order;
pub mod rates;
pub mod returns;
pub mod routing_rules;
pub mod stock;
pub mod tracking;

pub use address::Address;
pub use money::{Currency, Money};
