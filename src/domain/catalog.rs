//! Products, locations and channels: what they are and what makes one valid.

use serde::{Deserialize, Serialize};

use super::address::Address;
use super::money::check_amount;
use crate::error::{Error, Result};

/// A stock-keeping unit code: 1–64 characters of letters, digits and `-_./`, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sku(String);

impl Sku {
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let t = text.trim().to_ascii_uppercase();
        if t.is_empty() {
            return Err(Error::invalid(
                field,
                "The SKU is empty: scan or type a SKU",
            ));
        }
        if t.len() > 64 {
            return Err(Error::invalid(
                field,
                format!("The SKU '{t}' is longer than 64 characters"),
            ));
        }
        if let Some(c) = t
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "-_./".contains(*c)))
        {
            return Err(Error::invalid(
                field,
                format!("The SKU '{t}' contains '{c}': use letters, digits and - _ . / only"),
            ));
        }
        Ok(Sku(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A GTIN barcode (EAN-8, UPC-A, EAN-13, GTIN-14) whose check digit is right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gtin(String);

impl Gtin {
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
        if !matches!(t.len(), 8 | 12 | 13 | 14) || !t.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::invalid(
                field,
                format!("'{t}' is not a barcode: a GTIN has 8, 12, 13 or 14 digits"),
            ));
        }
        let digits: Vec<u32> = t.chars().filter_map(|c| c.to_digit(10)).collect();
        let expected = gtin_check_digit(&digits[..digits.len() - 1]);
        if digits[digits.len() - 1] != expected {
            return Err(Error::invalid(
                field,
                format!(
                    "The barcode '{t}' has a wrong check digit (expected {expected}): re-scan or check the number"
                ),
            ));
        }
        Ok(Gtin(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// GS1 mod-10 check digit: weights 3,1,3,… from the rightmost data digit.
pub fn gtin_check_digit(data: &[u32]) -> u32 {
    let sum: u32 = data
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10
}

/// A product as the owner enters it, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDraft {
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    pub price: i64,
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub active: bool,
    pub allow_backorder: bool,
    /// Sold as final: a return needs an override.
    #[serde(default)]
    pub final_sale: bool,
}

/// A product draft whose every part has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProduct {
    pub sku: Sku,
    pub name: String,
    pub barcode: Option<Gtin>,
    pub price: i64,
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub active: bool,
    pub allow_backorder: bool,
    pub final_sale: bool,
}

impl ProductDraft {
    pub fn validate(self) -> Result<ValidProduct> {
        let sku = Sku::parse(&self.sku, "sku")?;
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::invalid(
                "name",
                "The product name is empty: enter a name",
            ));
        }
        if name.chars().count() > 200 {
            return Err(Error::invalid(
                "name",
                "The product name is longer than 200 characters",
            ));
        }
        let barcode = match self.barcode.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(b) => Some(Gtin::parse(b, "barcode")?),
        };
        let price = check_amount(self.price, "price", false)?;
        for (v, f) in [
            (self.weight_grams, "weightGrams"),
            (self.length_mm, "lengthMm"),
            (self.width_mm, "widthMm"),
            (self.height_mm, "heightMm"),
        ] {
            if !(0..=10_000_000).contains(&v) {
                return Err(Error::invalid(
                    f,
                    format!("{v} is out of range: enter 0 to 10,000,000"),
                ));
            }
        }
        Ok(ValidProduct {
            sku,
            name,
            barcode,
            price,
            weight_grams: self.weight_grams,
            length_mm: self.length_mm,
            width_mm: self.width_mm,
            height_mm: self.height_mm,
            active: self.active,
            allow_backorder: self.allow_backorder,
            final_sale: self.final_sale,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Warehouse,
    Store,
    Dropship,
}

impl LocationKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            LocationKind::Warehouse => "warehouse",
            LocationKind::Store => "store",
            LocationKind::Dropship => "dropship",
        }
    }

    pub fn parse(text: &str, field: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "warehouse" => Ok(LocationKind::Warehouse),
            "store" => Ok(LocationKind::Store),
            "dropship" | "supplier" => Ok(LocationKind::Dropship),
            other => Err(Error::invalid(
                field,
                format!("'{other}' is not a kind of location: use warehouse, store or dropship"),
            )),
        }
    }
}

/// Shipping rate of a location, as in the routing file format. `per_1000_km` keeps fractions of
/// a minor unit per km exact (0.2 per km is 200).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ShippingRate {
    pub base: i64,
    pub per_kg: i64,
    pub per_1000_km: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationDraft {
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub address: Address,
    pub latitude: f64,
    pub longitude: f64,
    pub can_ship: bool,
    pub can_pickup: bool,
    pub priority: i32,
    pub rate: ShippingRate,
}

/// A short code for a location or channel: 1–32 of letters, digits, `-` and `_`, upper-case.
pub fn parse_code(text: &str, field: &str, what: &str) -> Result<String> {
    let t = text.trim().to_ascii_uppercase();
    if t.is_empty()
        || t.len() > 32
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            field,
            format!(
                "'{}' is not a {what} code: use 1-32 letters, digits, - or _",
                text.trim()
            ),
        ));
    }
    Ok(t)
}

impl LocationDraft {
    pub fn validate(mut self) -> Result<Self> {
        self.code = parse_code(&self.code, "code", "location")?;
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() {
            return Err(Error::invalid(
                "name",
                "The location name is empty: enter a name",
            ));
        }
        self.address = self.address.validated("address")?;
        if !(-90.0..=90.0).contains(&self.latitude) || self.latitude.is_nan() {
            return Err(Error::invalid(
                "latitude",
                "Latitude must be between -90 and 90",
            ));
        }
        if !(-180.0..=180.0).contains(&self.longitude) || self.longitude.is_nan() {
            return Err(Error::invalid(
                "longitude",
                "Longitude must be between -180 and 180",
            ));
        }
        check_amount(self.rate.base, "rate.base", false)?;
        check_amount(self.rate.per_kg, "rate.perKg", false)?;
        check_amount(self.rate.per_1000_km, "rate.per1000Km", false)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_check_digits() {
        assert!(Gtin::parse("4006381333931", "b").is_ok()); // EAN-13
        assert!(Gtin::parse("036000291452", "b").is_ok()); // UPC-A
        assert!(Gtin::parse("96385074", "b").is_ok()); // EAN-8
        assert!(Gtin::parse("4006381333932", "b").is_err());
        assert!(Gtin::parse("12345", "b").is_err());
    }

    #[test]
    fn skus_are_normalised_and_checked() {
        assert_eq!(
            Sku::parse(" tee-blk-m ", "s").unwrap().as_str(),
            "TEE-BLK-M"
        );
        assert!(Sku::parse("", "s").is_err());
        assert!(Sku::parse("A B", "s").is_err());
    }
}

/// A product as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    pub id: uuid::Uuid,
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    pub price: i64,
    pub currency: String,
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub active: bool,
    pub allow_backorder: bool,
    /// Sold as final: a return needs an override.
    pub final_sale: bool,
    /// Sellable units across all locations (on hand − reserved − safety stock, per location ≥ 0).
    pub available: i64,
}

/// A location as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub id: uuid::Uuid,
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub address: Address,
    pub latitude: f64,
    pub longitude: f64,
    pub can_ship: bool,
    pub can_pickup: bool,
    pub priority: i32,
    pub rate: ShippingRate,
    pub active: bool,
}

/// A sales channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub id: uuid::Uuid,
    pub code: String,
    pub name: String,
    pub safety_stock: i64,
}

/// A customer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub addresses: Vec<Address>,
    pub order_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerDraft {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
}

impl CustomerDraft {
    /// Trims, lower-cases the e-mail, keeps only digits and `+` of the phone, and checks each part.
    /// `field` is the path of the customer in the input (`customer`).
    pub fn validate(self, field: &str) -> Result<CustomerDraft> {
        let f = |p: &str| {
            if field.is_empty() {
                p.to_owned()
            } else {
                format!("{field}.{p}")
            }
        };
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::invalid(
                f("name"),
                "The customer's name is empty: enter a name",
            ));
        }
        if name.chars().count() > 200 {
            return Err(Error::invalid(
                f("name"),
                "The customer's name is longer than 200 characters",
            ));
        }
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(e) => {
                let e = e.to_ascii_lowercase();
                let ok = e.split_once('@').is_some_and(|(u, d)| {
                    !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
                }) && !e.contains(char::is_whitespace);
                if !ok {
                    return Err(Error::invalid(
                        f("email"),
                        format!("'{e}' is not an e-mail address: it needs a name, @ and a domain"),
                    ));
                }
                Some(e)
            }
        };
        let phone = match self.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(normalize_phone(p).ok_or_else(|| {
                Error::invalid(f("phone"), format!("'{p}' is not a phone number: use digits, spaces, + ( ) - only, 6 to 20 digits"))
            })?),
        };
        let address = match self.address {
            None => None,
            Some(a) => Some(a.validated(&f("address"))?),
        };
        Ok(CustomerDraft {
            name,
            email,
            phone,
            address,
        })
    }
}

/// Keeps the digits (and a leading +) of a phone number; `None` if it does not look like one.
pub fn normalize_phone(text: &str) -> Option<String> {
    let t = text.trim();
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-./".contains(c))
    {
        return None;
    }
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if !(6..=20).contains(&digits.len()) {
        return None;
    }
    Some(if t.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    })
}

/// A phone number's digits reversed: phones are searched by their ending (the part people say
/// and type, whatever country prefix was stored), which becomes a prefix search on this key.
pub fn phone_key(phone: &str) -> String {
    phone.chars().filter(|c| c.is_ascii_digit()).rev().collect()
}

/// The search key for what a person typed, if it looks like (part of) a phone number: at least
/// four digits and nothing but digits and phone punctuation.
pub fn phone_search_key(text: &str) -> Option<String> {
    let t = text.trim();
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    (digits >= 4
        && t.chars()
            .all(|c| c.is_ascii_digit() || " +()-./".contains(c)))
    .then(|| phone_key(t))
}

/// The lower-case form of a name used for prefix search.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}
