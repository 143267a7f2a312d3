//! Shipping output: 4×6 labels (PDF and ZPL), packing slips, pick lists and dropship purchase
//! orders as PDF, and sending them to a printer (CUPS, raw TCP 9100, or a folder). Everything but
//! [`print`] is pure: input structs in, bytes out; no database, no clock.

pub mod code128;
pub mod documents;
pub mod label;
pub mod pdf;
pub mod print;

pub use label::{LabelAddress, LabelInput, label_pdf, label_zpl};
