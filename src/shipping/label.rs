//! 4×6 in shipping labels from the label input contract (PRODUCT.md §3): validation with
//! field-named errors, a PDF for laser printers (one 288×432 pt page per package) and ZPL for
//! thermal printers (203 dpi, 812×1218 dots). The tracking number is a Code 128 barcode on both.
//! Pure: bytes or text out.

use serde::{Deserialize, Serialize};

use super::code128;
use super::pdf::{Doc, Font, Page, ellipsize, text_width, wrap};
use crate::domain::address::Address;
use crate::domain::tracking::{self, TrackingScheme};
use crate::error::{Error, Result};

/// An address as printed on labels and documents (`company`, `line2` and `phone` optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LabelAddress {
    pub name: String,
    #[serde(default)]
    pub company: Option<String>,
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    /// State, province or county; may be empty where the country has none.
    #[serde(default)]
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 (`US`, `GB`, …).
    pub country: String,
    #[serde(default)]
    pub phone: Option<String>,
}

impl From<Address> for LabelAddress {
    fn from(a: Address) -> Self {
        LabelAddress {
            name: a.name,
            company: a.company,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
            phone: a.phone,
        }
    }
}

const MAX_TEXT: usize = 100;

fn check_text(field: &str, value: &str, what: &str, required: bool) -> Result<()> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(Error::invalid(
            field,
            format!("The {what} is missing: enter it"),
        ));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(Error::invalid(
            field,
            format!("The {what} is longer than {MAX_TEXT} characters: shorten it"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("The {what} contains a control character (a tab or line break): remove it"),
        ));
    }
    Ok(())
}

impl LabelAddress {
    /// Checks the parts a carrier needs; `field` is the address's path (`ship_to`).
    pub fn validate(&self, field: &str) -> Result<()> {
        let f = |part: &str| format!("{field}.{part}");
        check_text(&f("name"), &self.name, "recipient name", true)?;
        check_text(&f("line1"), &self.line1, "street address", true)?;
        check_text(&f("city"), &self.city, "city", true)?;
        check_text(&f("region"), &self.region, "region", false)?;
        check_text(&f("postal_code"), &self.postal_code, "postal code", true)?;
        for (part, value, what) in [
            ("company", &self.company, "company"),
            ("line2", &self.line2, "second address line"),
            ("phone", &self.phone, "phone number"),
        ] {
            if let Some(v) = value {
                check_text(&f(part), v, what, false)?;
            }
        }
        let country = self.country.trim();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(Error::invalid(
                f("country"),
                format!("'{country}' is not a country code: use two letters such as US, GB or DE"),
            ));
        }
        let postal = self.postal_code.trim();
        if country.eq_ignore_ascii_case("US") {
            let digits: String = postal.chars().filter(|c| *c != '-').collect();
            if !(digits.len() == 5 || digits.len() == 9)
                || !digits.chars().all(|c| c.is_ascii_digit())
            {
                return Err(Error::invalid(
                    f("postal_code"),
                    format!("'{postal}' is not a US ZIP code: use 5 digits or ZIP+4 (12345-6789)"),
                ));
            }
        } else if postal.chars().count() > 12
            || !postal
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        {
            return Err(Error::invalid(
                f("postal_code"),
                format!(
                    "'{postal}' is not a postal code: use letters, digits, spaces or dashes (at most 12)"
                ),
            ));
        }
        Ok(())
    }

    /// The printed lines: company, name, street lines, `CITY REGION POSTAL`, country.
    fn city_line(&self) -> String {
        let mut s = self.city.trim().to_owned();
        if !self.region.trim().is_empty() {
            s.push_str(&format!(" {}", self.region.trim()));
        }
        s.push_str(&format!(" {}", self.postal_code.trim()));
        s
    }

    fn opt(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
}

fn default_packages() -> u32 {
    1
}

/// What a label prints (PRODUCT.md §3 "Label input"; keys in snake_case).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelInput {
    pub tracking_number: String,
    /// `ups`, `usps`, `fedex`, `upu` and `local` numbers are checked by their check digit; any
    /// other carrier's number only has to be printable ASCII.
    pub carrier: String,
    pub service: String,
    pub ship_from: LabelAddress,
    pub ship_to: LabelAddress,
    /// Weight of each package in kilograms.
    pub weight_kg: f64,
    /// The shop's reference (order number); may be empty.
    #[serde(default)]
    pub reference: String,
    /// Number of packages: one page (PDF) or one `^XA…^XZ` (ZPL) each.
    #[serde(default = "default_packages")]
    pub packages: u32,
}

/// Most packages one label input may ask for.
pub const MAX_PACKAGES: u32 = 99;

impl LabelInput {
    /// Parses the JSON of the contract; syntax and missing keys are reported as `Invalid`.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| {
            Error::invalid(
                "label",
                format!("The label input is not valid: {e}. See docs/labels.md for the format"),
            )
        })
    }

    /// The scheme the carrier's numbers follow, when Orderly knows it.
    pub fn scheme(&self) -> Option<TrackingScheme> {
        match self.carrier.trim().to_ascii_lowercase().as_str() {
            "ups" => Some(TrackingScheme::Ups),
            "usps" => Some(TrackingScheme::Usps),
            "fedex" => Some(TrackingScheme::Fedex),
            "upu" | "s10" => Some(TrackingScheme::UpuS10),
            "local" => Some(TrackingScheme::Local),
            _ => None,
        }
    }

    /// Checks every field; errors name the field (`ship_to.postal_code`).
    pub fn validate(&self) -> Result<()> {
        self.barcode_data().map(|_| ())
    }

    /// Validates and returns the tracking number as it goes into the barcode (normalized).
    fn barcode_data(&self) -> Result<String> {
        check_text("carrier", &self.carrier, "carrier", true)?;
        check_text("service", &self.service, "service", true)?;
        check_text("reference", &self.reference, "reference", false)?;
        self.ship_from.validate("ship_from")?;
        self.ship_to.validate("ship_to")?;
        if !self.weight_kg.is_finite() || self.weight_kg <= 0.0 || self.weight_kg > 1000.0 {
            return Err(Error::invalid(
                "weight_kg",
                format!(
                    "A package weight of {} kg is not possible: enter the weight in kilograms, above 0 and at most 1000",
                    self.weight_kg
                ),
            ));
        }
        if self.packages == 0 || self.packages > MAX_PACKAGES {
            return Err(Error::invalid(
                "packages",
                format!(
                    "{} packages is not possible: use 1 to {MAX_PACKAGES}",
                    self.packages
                ),
            ));
        }
        match self.scheme() {
            Some(s) => tracking::validate(s, &self.tracking_number, "tracking_number"),
            None => {
                let n: String = self.tracking_number.split_whitespace().collect();
                if n.is_empty() {
                    return Err(Error::invalid(
                        "tracking_number",
                        "The tracking number is missing: scan or type it",
                    ));
                }
                if n.len() > 40 || !n.chars().all(|c| c.is_ascii_graphic()) {
                    return Err(Error::invalid(
                        "tracking_number",
                        format!(
                            "'{n}' cannot be printed as a barcode: use at most 40 letters, digits or ASCII punctuation"
                        ),
                    ));
                }
                Ok(n)
            }
        }
    }

    fn weight_text(&self) -> String {
        format!(
            "{:.2} kg ({:.1} lb)",
            self.weight_kg,
            self.weight_kg * 2.204_622_6
        )
    }
}

/// Label page: 4×6 in.
pub const LABEL_WIDTH_PT: f32 = 288.0;
pub const LABEL_HEIGHT_PT: f32 = 432.0;
const M: f32 = 12.0;

/// Draws `lines` (text, font, size) from `top` down within `width` × `max_height`, wrapping each
/// to at most two lines and shrinking everything until it fits.
fn block(
    page: &mut Page,
    x: f32,
    top: f32,
    width: f32,
    max_height: f32,
    lines: &[(String, Font, f32)],
) {
    let mut scale = 1.0f32;
    loop {
        let laid: Vec<(String, Font, f32)> = lines
            .iter()
            .flat_map(|(t, f, s)| {
                let size = s * scale;
                let mut w = wrap(t, *f, size, width);
                if w.len() > 2 {
                    let rest = w[1..].join(" ");
                    w.truncate(1);
                    w.push(ellipsize(&rest, *f, size, width));
                }
                w.into_iter().map(move |l| (l, *f, size))
            })
            .collect();
        let height: f32 = laid.iter().map(|(_, _, s)| s * 1.18).sum();
        if height <= max_height || scale < 0.55 {
            let mut y = top;
            for (l, f, s) in laid {
                y += s * 1.18;
                if y > top + max_height {
                    break;
                }
                page.text(x, y - s * 0.22, f, s, &l);
            }
            return;
        }
        scale -= 0.05;
    }
}

fn address_lines(a: &LabelAddress, big: bool) -> Vec<(String, Font, f32)> {
    let (s, sb) = if big { (13.0, 15.0) } else { (8.0, 8.5) };
    let mut out = Vec::new();
    out.push((a.name.trim().to_owned(), Font::Bold, sb));
    if let Some(c) = LabelAddress::opt(&a.company) {
        out.push((c.to_owned(), Font::Regular, s));
    }
    out.push((a.line1.trim().to_owned(), Font::Regular, s));
    if let Some(l) = LabelAddress::opt(&a.line2) {
        out.push((l.to_owned(), Font::Regular, s));
    }
    out.push((a.city_line(), Font::Bold, sb));
    out.push((a.country.trim().to_ascii_uppercase(), Font::Regular, s));
    if let Some(p) = LabelAddress::opt(&a.phone) {
        out.push((format!("Tel. {p}"), Font::Regular, s * 0.85));
    }
    out
}

/// The label as a PDF: one 4×6 in page per package.
pub fn label_pdf(input: &LabelInput) -> Result<Vec<u8>> {
    let data = input.barcode_data()?;
    let mut doc = Doc::new(LABEL_WIDTH_PT, LABEL_HEIGHT_PT);
    let w = LABEL_WIDTH_PT - 2.0 * M;
    for n in 1..=input.packages {
        let p = doc.add_page();
        // Ship-from (left) and package/weight (right).
        p.text(M, M + 7.0, Font::Bold, 7.0, "FROM");
        block(
            p,
            M,
            M + 9.0,
            168.0,
            78.0,
            &address_lines(&input.ship_from, false),
        );
        let right = LABEL_WIDTH_PT - M;
        p.text_right(
            right,
            M + 12.0,
            Font::Bold,
            11.0,
            &format!("Package {n} of {}", input.packages),
        );
        p.text_right(right, M + 26.0, Font::Regular, 9.0, &input.weight_text());
        p.line(M, 102.0, LABEL_WIDTH_PT - M, 102.0, 1.5);
        // Ship-to, large.
        p.text(M, 116.0, Font::Bold, 9.0, "SHIP TO");
        block(
            p,
            M + 12.0,
            120.0,
            w - 12.0,
            140.0,
            &address_lines(&input.ship_to, true),
        );
        p.line(M, 266.0, LABEL_WIDTH_PT - M, 266.0, 1.5);
        // Carrier and service.
        let carrier_line = format!(
            "{}  {}",
            input.carrier.trim().to_uppercase(),
            input.service.trim().to_uppercase()
        );
        let mut size = 16.0;
        while size > 8.0 && text_width(&carrier_line, Font::Bold, size) > w {
            size -= 0.5;
        }
        p.text(
            M,
            288.0,
            Font::Bold,
            size,
            &ellipsize(&carrier_line, Font::Bold, size, w),
        );
        // Tracking number barcode with the number under it.
        p.text(M, 304.0, Font::Regular, 7.0, "TRACKING #");
        p.barcode(
            &data,
            "tracking_number",
            0.0,
            310.0,
            LABEL_WIDTH_PT,
            78.0,
            2.0,
            Some(11.0),
        )?;
        p.line(M, 408.0, LABEL_WIDTH_PT - M, 408.0, 0.75);
        if !input.reference.trim().is_empty() {
            let r = format!("Ref: {}", input.reference.trim());
            p.text(
                M,
                422.0,
                Font::Regular,
                9.0,
                &ellipsize(&r, Font::Regular, 9.0, w),
            );
        }
    }
    Ok(doc.finish(&format!("Label {data}")))
}

/// ZPL dots at 203 dpi.
pub const ZPL_WIDTH_DOTS: u32 = 812;
pub const ZPL_HEIGHT_DOTS: u32 = 1218;

/// User text for a ZPL field: `^FH` hex escapes for `^`, `~` and the escape character `_`;
/// control characters become spaces.
pub fn zpl_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '^' => out.push_str("_5E"),
            '~' => out.push_str("_7E"),
            '_' => out.push_str("_5F"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A text field at (x, y) in font 0 of height `h` dots, cut to `max_chars`.
fn zpl_text(out: &mut String, x: u32, y: u32, h: u32, text: &str, max_chars: usize) {
    let t: String = text.trim().chars().take(max_chars).collect();
    if t.is_empty() {
        return;
    }
    out.push_str(&format!(
        "^FO{x},{y}^A0N,{h},{h}^FH^FD{}^FS\n",
        zpl_escape(&t)
    ));
}

fn zpl_address(
    out: &mut String,
    a: &LabelAddress,
    x: u32,
    mut y: u32,
    h: u32,
    hb: u32,
    max: usize,
) -> u32 {
    let mut line = |out: &mut String, text: &str, size: u32| {
        zpl_text(out, x, y, size, text, max);
        y += size + size / 5;
    };
    line(out, &a.name, hb);
    if let Some(c) = LabelAddress::opt(&a.company) {
        line(out, c, h);
    }
    line(out, &a.line1, h);
    if let Some(l) = LabelAddress::opt(&a.line2) {
        line(out, l, h);
    }
    line(out, &a.city_line(), hb);
    line(out, &a.country.trim().to_ascii_uppercase(), h);
    if let Some(p) = LabelAddress::opt(&a.phone) {
        line(out, &format!("Tel. {p}"), h * 4 / 5);
    }
    y
}

/// The label as ZPL II: one `^XA … ^XZ` per package, 203 dpi, UTF-8 (`^CI28`).
pub fn label_zpl(input: &LabelInput) -> Result<String> {
    let data = input.barcode_data()?;
    // Module width: as wide as fits (2–4 dots) with 10-module quiet zones.
    let modules = code128::module_count(&code128::widths(&data, "tracking_number")?)
        + 2 * code128::QUIET_ZONE;
    let module = (772 / modules).clamp(2, 4);
    let bar_x = ZPL_WIDTH_DOTS.saturating_sub((modules - 2 * code128::QUIET_ZONE) * module) / 2;
    let mut out = String::new();
    for n in 1..=input.packages {
        out.push_str("^XA\n^CI28\n^PW812\n^LL1218\n^LH0,0\n");
        zpl_text(&mut out, 30, 24, 20, "FROM", 10);
        zpl_address(&mut out, &input.ship_from, 30, 50, 22, 24, 40);
        zpl_text(
            &mut out,
            520,
            30,
            30,
            &format!("Package {n} of {}", input.packages),
            20,
        );
        zpl_text(&mut out, 520, 70, 24, &input.weight_text(), 24);
        out.push_str("^FO24,290^GB764,4,4^FS\n");
        zpl_text(&mut out, 30, 305, 26, "SHIP TO", 10);
        zpl_address(&mut out, &input.ship_to, 60, 340, 38, 44, 32);
        out.push_str("^FO24,740^GB764,4,4^FS\n");
        let carrier_line = format!(
            "{}  {}",
            input.carrier.trim().to_uppercase(),
            input.service.trim().to_uppercase()
        );
        zpl_text(&mut out, 30, 760, 48, &carrier_line, 28);
        zpl_text(&mut out, 30, 825, 22, "TRACKING #", 12);
        out.push_str(&format!(
            "^FO{bar_x},860^BY{module},3,220^BCN,220,Y,N,N,A^FD{data}^FS\n"
        ));
        out.push_str("^FO24,1140^GB764,2,2^FS\n");
        if !input.reference.trim().is_empty() {
            zpl_text(
                &mut out,
                30,
                1160,
                30,
                &format!("Ref: {}", input.reference.trim()),
                40,
            );
        }
        out.push_str("^XZ\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(tracking: &str, carrier: &str) -> LabelInput {
        let json = format!(
            r#"{{ "tracking_number": "{tracking}", "carrier": "{carrier}", "service": "Ground",
              "ship_from": {{ "name": "Orderly Shop", "line1": "1 Main St", "city": "Newark",
                             "region": "NJ", "postal_code": "07102", "country": "US" }},
              "ship_to": {{ "name": "Ada Lovelace", "company": "Analytical Engines", "line1": "12 Byron Rd",
                           "line2": "Apt 3", "city": "Springfield", "region": "IL",
                           "postal_code": "62704", "country": "us", "phone": "+1 555 0100" }},
              "weight_kg": 1.25, "reference": "SO-10001" }}"#
        );
        LabelInput::from_json(&json).unwrap()
    }

    #[test]
    fn contract_json_parses_with_defaults() {
        let l = sample("1Z999AA10123456784", "UPS");
        assert_eq!(l.packages, 1);
        assert_eq!(l.ship_to.line2.as_deref(), Some("Apt 3"));
        assert_eq!(l.ship_from.company, None);
        l.validate().unwrap();
    }

    #[test]
    fn errors_name_the_field() {
        let mut l = sample("1Z999AA10123456784", "ups");
        l.ship_to.postal_code = "6270".into();
        assert_eq!(
            l.validate().unwrap_err().field(),
            Some("ship_to.postal_code")
        );
        let mut l = sample("1Z999AA10123456787", "ups");
        let e = l.validate().unwrap_err();
        assert_eq!(e.field(), Some("tracking_number"));
        assert!(e.to_string().contains("should be 4, not 7"), "{e}");
        l.tracking_number = "1Z999AA10123456784".into();
        l.weight_kg = f64::NAN;
        assert_eq!(l.validate().unwrap_err().field(), Some("weight_kg"));
        l.weight_kg = 2.0;
        l.packages = 0;
        assert_eq!(l.validate().unwrap_err().field(), Some("packages"));
        l.packages = 1;
        l.ship_from.name = " ".into();
        assert_eq!(l.validate().unwrap_err().field(), Some("ship_from.name"));
        l.ship_from.name = "Shop".into();
        l.ship_to.country = "USA".into();
        assert_eq!(l.validate().unwrap_err().field(), Some("ship_to.country"));
        assert!(LabelInput::from_json("{").is_err());
    }

    #[test]
    fn other_carriers_need_printable_ascii() {
        let mut l = sample("JD014600006281234567", "DHL");
        l.validate().unwrap();
        l.tracking_number = "Ünicode".into();
        assert_eq!(l.validate().unwrap_err().field(), Some("tracking_number"));
        l.tracking_number = "  ".into();
        assert_eq!(l.validate().unwrap_err().field(), Some("tracking_number"));
    }

    #[test]
    fn zpl_has_one_format_per_package_and_escapes_user_text() {
        let mut l = sample("1Z999AA10123456784", "UPS");
        l.packages = 3;
        l.ship_to.name = "Ada ^XZ ~JA Lovelace_".into();
        let z = label_zpl(&l).unwrap();
        assert_eq!(z.matches("^XA").count(), 3);
        assert_eq!(
            z.matches("^XZ").count(),
            3,
            "user text must not end a format:\n{z}"
        );
        assert_eq!(z.matches("~").count(), 0);
        assert!(z.contains("Ada _5EXZ _7EJA Lovelace_5F"));
        assert!(z.contains("^PW812") && z.contains("^LL1218") && z.contains("^CI28"));
        assert!(z.contains("^BCN,220,Y,N,N,A^FD1Z999AA10123456784^FS"));
        assert!(z.contains("Package 2 of 3"));
    }

    #[test]
    fn pdf_has_one_page_per_package() {
        let mut l = sample("9400111201080805483016", "USPS");
        l.packages = 2;
        let pdf = label_pdf(&l).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 2"));
        assert!(text.contains("Package 2 of 2"));
        assert!(text.contains("/MediaBox [0 0 288 432]"));
    }
}
