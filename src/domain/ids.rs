//! Identifiers: UUIDv7 (time-ordered, so new rows land at the end of indexes) and the
//! human order number shown to customers.

use uuid::Uuid;

use crate::error::{Error, Result};

/// A new time-ordered id.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Order numbers are `SO-` plus the order's sequence offset by 10,000, so the first is SO-10001.
const ORDER_NUMBER_OFFSET: i64 = 10_000;

pub fn order_number(seq: i64) -> String {
    format!("SO-{}", seq + ORDER_NUMBER_OFFSET)
}

/// Reads `SO-10042`, `so10042` or `10042` back to the sequence; `None` if it is not an order number.
pub fn parse_order_number(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t
        .strip_prefix("SO-")
        .or_else(|| t.strip_prefix("so-"))
        .or_else(|| t.strip_prefix("SO"))
        .or_else(|| t.strip_prefix("so"))
        .unwrap_or(t);
    if digits.is_empty() || digits.len() > 15 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    (n > ORDER_NUMBER_OFFSET).then_some(n - ORDER_NUMBER_OFFSET)
}

pub fn parse_uuid(text: &str, field: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim())
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a valid id")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_round_trip() {
        assert_eq!(order_number(1), "SO-10001");
        assert_eq!(parse_order_number("SO-10042"), Some(42));
        assert_eq!(parse_order_number("10042"), Some(42));
        assert_eq!(parse_order_number("so10042"), Some(42));
        assert_eq!(parse_order_number("42"), None);
        assert_eq!(parse_order_number("SO-ABC"), None);
    }
}
