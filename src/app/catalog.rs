//! Use cases for products, locations, channels and customers.

use uuid::Uuid;

use super::{App, Page};
use crate::db;
use crate::domain::catalog::{
    Channel, Customer, CustomerDraft, Location, LocationDraft, Product, ProductDraft,
};
use crate::domain::ids::new_id;
use crate::error::{Error, Result};

impl App {
    pub async fn create_product(&self, draft: ProductDraft) -> Result<Product> {
        let p = draft.validate()?;
        let currency = self.currency().await?;
        let id = new_id();
        let now = self.now();
        crate::db::write!(self.db, |tx| db::catalog::insert_product(
            tx,
            id,
            &p,
            currency.code(),
            now
        )
        .await)?;
        self.products_changed();
        tracing::debug!(sku = p.sku.as_str(), "product created");
        self.product(id).await
    }

    pub async fn update_product(&self, id: Uuid, draft: ProductDraft) -> Result<Product> {
        let p = draft.validate()?;
        let now = self.now();
        crate::db::write!(self.db, |tx| db::catalog::update_product(tx, id, &p, now)
            .await)?;
        self.products_changed();
        self.product(id).await
    }

    pub async fn product(&self, id: Uuid) -> Result<Product> {
        let mut c = self.db.read().await?;
        db::catalog::product_by_id(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Product", id.to_string()))
    }

    /// The product with this exact SKU or barcode (what a scanner types), if any.
    pub async fn find_product(&self, code: &str) -> Result<Option<Product>> {
        if code.trim().is_empty() {
            return Err(Error::invalid(
                "code",
                "Nothing was scanned: scan a barcode or type a SKU",
            ));
        }
        let mut c = self.db.read().await?;
        db::catalog::product_by_code(&mut c, code).await
    }

    pub async fn list_products(
        &self,
        search: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Product>> {
        let mut c = self.db.read().await?;
        let (rows, total) =
            db::catalog::list_products(&mut c, search, offset.max(0), limit.clamp(1, 1000)).await?;
        Ok(Page {
            rows,
            total,
            total_is_capped: false,
        })
    }

    pub async fn create_location(&self, draft: LocationDraft) -> Result<Location> {
        let l = draft.validate()?;
        let id = new_id();
        let now = self.now();
        crate::db::write!(self.db, |tx| db::catalog::insert_location(tx, id, &l, now)
            .await)?;
        self.refs_changed();
        tracing::debug!(code = %l.code, "location created");
        self.location_by_id(id).await
    }

    pub async fn update_location(&self, id: Uuid, draft: LocationDraft) -> Result<Location> {
        let l = draft.validate()?;
        crate::db::write!(self.db, |tx| db::catalog::update_location(tx, id, &l).await)?;
        self.refs_changed();
        self.location_by_id(id).await
    }

    async fn location_by_id(&self, id: Uuid) -> Result<Location> {
        self.locations()
            .await?
            .into_iter()
            .find(|l| l.id == id)
            .ok_or_else(|| Error::not_found("Location", id.to_string()))
    }

    /// All locations in priority order.
    pub async fn locations(&self) -> Result<Vec<Location>> {
        let mut c = self.db.read().await?;
        db::catalog::list_locations(&mut c).await
    }

    /// The location with this code (case-insensitive); the error names `field`.
    pub async fn location_by_code(&self, code: &str, field: &str) -> Result<Location> {
        let wanted = code.trim().to_ascii_uppercase();
        let all = self.locations().await?;
        let names: Vec<String> = all.iter().map(|l| l.code.clone()).collect();
        all.into_iter().find(|l| l.code == wanted).ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "There is no location '{wanted}'{}",
                    if names.is_empty() {
                        ": add one first".to_owned()
                    } else {
                        format!(": use one of {}", names.join(", "))
                    }
                ),
            )
        })
    }

    pub async fn channels(&self) -> Result<Vec<Channel>> {
        let mut c = self.db.read().await?;
        db::catalog::list_channels(&mut c).await
    }

    /// Adds a sales channel (e.g. a second marketplace) with its buffer: units per SKU and
    /// location it never sells, so other channels keep them.
    pub async fn create_channel(
        &self,
        code: &str,
        name: &str,
        safety_stock: i64,
    ) -> Result<Channel> {
        let (code, name) = channel_fields(code, name, safety_stock)?;
        if self.channels().await?.iter().any(|c| c.code == code) {
            return Err(Error::conflict(
                "code",
                format!("A channel {code} exists already: choose another code"),
            ));
        }
        let ch = Channel {
            id: new_id(),
            code: code.clone(),
            name,
            safety_stock,
        };
        let now = self.now();
        crate::db::write!(self.db, |tx| db::catalog::insert_channel(tx, &ch, now)
            .await)?;
        self.refs_changed();
        Ok(ch)
    }

    /// Renames a channel or changes its buffer.
    pub async fn update_channel(
        &self,
        code: &str,
        name: &str,
        safety_stock: i64,
    ) -> Result<Channel> {
        let (code, name) = channel_fields(code, name, safety_stock)?;
        let found = crate::db::write!(self.db, |tx| db::catalog::update_channel(
            tx,
            &code,
            &name,
            safety_stock
        )
        .await)?;
        self.refs_changed();
        if !found {
            return Err(Error::invalid(
                "code",
                format!("There is no channel {code}"),
            ));
        }
        self.channels()
            .await?
            .into_iter()
            .find(|c| c.code == code)
            .ok_or_else(|| Error::not_found("Channel", code.clone()))
    }

    pub async fn create_customer(&self, draft: CustomerDraft) -> Result<Customer> {
        let d = draft.validate("")?;
        let id = new_id();
        let now = self.now();
        crate::db::write!(self.db, |tx| db::catalog::insert_customer(tx, id, &d, now)
            .await)?;
        let mut c = self.db.read().await?;
        db::catalog::customer_by_id(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Customer", id.to_string()))
    }

    /// Customers whose name, family name, e-mail or phone starts with `search`; at most 20.
    pub async fn search_customers(&self, search: &str) -> Result<Vec<Customer>> {
        let mut c = self.db.read().await?;
        db::catalog::search_customers(&mut c, search, 20).await
    }
}

fn channel_fields(code: &str, name: &str, safety_stock: i64) -> Result<(String, String)> {
    let code = crate::domain::catalog::parse_code(code, "code", "channel")?;
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid(
            "name",
            "The channel needs a name of 1-100 characters",
        ));
    }
    if !(0..=1_000_000).contains(&safety_stock) {
        return Err(Error::invalid(
            "safetyStock",
            "The buffer must be 0 to 1,000,000 units",
        ));
    }
    Ok((code, name))
}
