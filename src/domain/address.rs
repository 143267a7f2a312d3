//! Postal addresses, validated once at the edge so the rest of the core can trust them.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    pub name: String,
    #[serde(default)]
    pub company: Option<String>,
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    #[serde(default)]
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    #[serde(default)]
    pub phone: Option<String>,
}

impl Address {
    /// Trims every part, upper-cases the country and checks the parts a carrier needs.
    /// `field` is the path of the address in the input (`shipTo`).
    pub fn validated(mut self, field: &str) -> Result<Self> {
        let trim = |s: &mut String| *s = s.trim().to_owned();
        trim(&mut self.name);
        trim(&mut self.line1);
        trim(&mut self.city);
        trim(&mut self.region);
        trim(&mut self.postal_code);
        self.country = self.country.trim().to_ascii_uppercase();
        for opt in [&mut self.company, &mut self.line2, &mut self.phone] {
            *opt = opt
                .take()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty());
        }
        let need = |v: &str, part: &str, hint: &str| -> Result<()> {
            if v.is_empty() {
                Err(Error::invalid(
                    format!("{field}.{part}"),
                    format!("The {hint} is missing: enter it"),
                ))
            } else if v.chars().count() > 200 {
                Err(Error::invalid(
                    format!("{field}.{part}"),
                    format!("The {hint} is longer than 200 characters"),
                ))
            } else {
                Ok(())
            }
        };
        need(&self.name, "name", "recipient name")?;
        need(&self.line1, "line1", "street address")?;
        need(&self.city, "city", "city")?;
        need(&self.postal_code, "postalCode", "postal code")?;
        if self.country.len() != 2 || !self.country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(Error::invalid(
                format!("{field}.country"),
                format!(
                    "'{}' is not a country code: use two letters such as US, GB or DE",
                    self.country
                ),
            ));
        }
        Ok(self)
    }

    /// One line for lists and the timeline.
    pub fn one_line(&self) -> String {
        format!(
            "{}, {}, {} {} {}",
            self.name, self.line1, self.city, self.postal_code, self.country
        )
    }
}
