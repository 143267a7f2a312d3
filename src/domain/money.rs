//! Money as integer minor units of an ISO 4217 currency, with checked arithmetic and the
//! rounding and splitting rules the shop's books rely on. No floats anywhere.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The largest amount we accept anywhere: far below 2^53, so the UI's JavaScript numbers stay exact.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000; // 10^15 minor units

/// An ISO 4217 currency code, upper-case ASCII letters, with its minor-unit exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");

    /// Parses a three-letter code; `field` names the input for the error.
    pub fn parse(code: &str, field: &str) -> Result<Self> {
        let code = code.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid(
                field,
                format!(
                    "'{code}' is not a currency code: use three letters such as USD, EUR or JPY"
                ),
            ));
        }
        Ok(Currency([bytes[0], bytes[1], bytes[2]]))
    }

    pub fn code(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point (ISO 4217). Unknown codes default to 2.
    pub fn exponent(&self) -> u32 {
        match self.code() {
            "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF"
            | "UGX" | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            "CLF" | "UYW" => 4,
            _ => 2,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Currency::parse(&value, "currency")
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of one currency in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub amount: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: i64, currency: Currency) -> Self {
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money {
            amount: 0,
            currency,
        }
    }

    /// Formats as a plain decimal with the currency code, e.g. `12.34 USD`, `500 JPY`.
    pub fn display(&self) -> String {
        let exp = self.currency.exponent();
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        if exp == 0 {
            return format!("{sign}{abs} {}", self.currency);
        }
        let div = 10u64.pow(exp);
        format!(
            "{sign}{}.{:0width$} {}",
            abs / div,
            abs % div,
            self.currency,
            width = exp as usize
        )
    }
}

/// Checks that an amount given for `field` is within the accepted range.
pub fn check_amount(amount: i64, field: &str, allow_negative: bool) -> Result<i64> {
    if !allow_negative && amount < 0 {
        return Err(Error::invalid(
            field,
            format!("{amount} is negative: enter 0 or more"),
        ));
    }
    if amount.abs() > MAX_AMOUNT {
        return Err(Error::invalid(
            field,
            format!("{amount} is too large: amounts are limited to {MAX_AMOUNT} minor units"),
        ));
    }
    Ok(amount)
}

/// `a + b`, or an error naming `field` when the sum leaves the accepted range.
pub fn add(a: i64, b: i64, field: &str) -> Result<i64> {
    a.checked_add(b)
        .filter(|s| s.abs() <= MAX_AMOUNT)
        .ok_or_else(|| Error::invalid(field, "the amount is too large to book"))
}

/// `a × b`, or an error naming `field` when the product leaves the accepted range.
pub fn mul(a: i64, b: i64, field: &str) -> Result<i64> {
    a.checked_mul(b)
        .filter(|s| s.abs() <= MAX_AMOUNT)
        .ok_or_else(|| Error::invalid(field, "the amount is too large to book"))
}

/// `value × num / den` rounded half away from zero, in i128 so no intermediate overflows.
pub fn mul_div_round(value: i64, num: i64, den: i64) -> i64 {
    debug_assert!(den > 0);
    let p = value as i128 * num as i128;
    let d = den as i128;
    let q = p / d;
    let r = p % d;
    let adj = if 2 * r.abs() >= d { p.signum() } else { 0 };
    (q + adj) as i64
}

/// Splits `total` across parts in proportion to `weights` so the parts add up to `total` exactly:
/// each part is floored, then the leftover units go to the parts with the largest remainders
/// (ties to the earlier part). All-zero weights split evenly.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: i128 = weights.iter().map(|w| *w as i128).sum();
    let weights: Vec<i128> = if sum == 0 {
        vec![1; weights.len()]
    } else {
        weights.iter().map(|w| *w as i128).collect()
    };
    let sum: i128 = weights.iter().sum();
    let sign: i128 = if total < 0 { -1 } else { 1 };
    let t = (total as i128).abs();
    let mut parts: Vec<i128> = weights.iter().map(|w| t * w / sum).collect();
    let mut rems: Vec<(usize, i128)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (i, t * w % sum))
        .collect();
    let mut left = t - parts.iter().sum::<i128>();
    rems.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (i, _) in rems {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.into_iter().map(|p| (p * sign) as i64).collect()
}

/// Parses a decimal amount typed by a person ("12.5", "-3", "1,234.56") into minor units of
/// `currency`, refusing more decimals than the currency has. No float is involved.
pub fn parse_decimal(text: &str, currency: Currency, field: &str) -> Result<i64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    let (neg, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let exp = currency.exponent() as usize;
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    let bad = || {
        Error::invalid(
            field,
            format!(
                "'{}' is not an amount of {currency}: write digits with at most {exp} decimals, e.g. {}",
                text.trim(),
                Money::new(1234 * 10i64.pow(exp as u32) / 100, currency).display()
            ),
        )
    };
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
        || frac_part.len() > exp
        || int_part.len() > 15
    {
        return Err(bad());
    }
    let int: i64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().map_err(|_| bad())?
    };
    let mut frac: i64 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().map_err(|_| bad())?
    };
    frac *= 10i64.pow((exp - frac_part.len()) as u32);
    let v = mul(int, 10i64.pow(exp as u32), field)?;
    let v = add(v, frac, field)?;
    Ok(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(mul_div_round(5, 1, 2), 3);
        assert_eq!(mul_div_round(-5, 1, 2), -3);
        assert_eq!(mul_div_round(4, 1, 2), 2);
        assert_eq!(mul_div_round(1000, 825, 10_000), 83); // 82.5 → 83
        assert_eq!(mul_div_round(1001, 1, 3), 334);
    }

    #[test]
    fn allocation_adds_up_exactly() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate(-100, &[1, 1, 1]), vec![-34, -33, -33]);
        assert_eq!(allocate(10, &[0, 0]), vec![5, 5]);
        let parts = allocate(999, &[333, 1, 7777, 0]);
        assert_eq!(parts.iter().sum::<i64>(), 999);
    }

    #[test]
    fn currencies_know_their_exponent() {
        assert_eq!(Currency::parse("jpy", "c").unwrap().exponent(), 0);
        assert_eq!(Currency::parse("KWD", "c").unwrap().exponent(), 3);
        assert_eq!(Currency::USD.exponent(), 2);
        assert!(Currency::parse("US", "c").is_err());
        assert!(Currency::parse("U5D", "c").is_err());
    }

    #[test]
    fn decimals_parse_without_floats() {
        let usd = Currency::USD;
        assert_eq!(parse_decimal("12.34", usd, "p").unwrap(), 1234);
        assert_eq!(parse_decimal("12.3", usd, "p").unwrap(), 1230);
        assert_eq!(parse_decimal("-0.05", usd, "p").unwrap(), -5);
        assert_eq!(parse_decimal("1,234", usd, "p").unwrap(), 123_400);
        assert!(parse_decimal("1.234", usd, "p").is_err());
        assert!(parse_decimal("abc", usd, "p").is_err());
        let jpy = Currency::parse("JPY", "c").unwrap();
        assert_eq!(parse_decimal("500", jpy, "p").unwrap(), 500);
        assert!(parse_decimal("5.5", jpy, "p").is_err());
    }

    #[test]
    fn display_uses_the_exponent() {
        assert_eq!(Money::new(1234, Currency::USD).display(), "12.34 USD");
        assert_eq!(Money::new(-5, Currency::USD).display(), "-0.05 USD");
        assert_eq!(
            Money::new(1500, Currency::parse("KWD", "c").unwrap()).display(),
            "1.500 KWD"
        );
    }
}
