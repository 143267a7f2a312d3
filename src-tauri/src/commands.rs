//! The commands the web view may call, declared once: the [`commands!`] list produces the Tauri
//! handlers and the typed `Commands` map for TypeScript (`ui/src/bindings/commands.ts`).
//! Each command is a few lines: convert the input, call the facade, convert the output.

use orderly::Error;
use orderly::app::{Actor, AdjustStock, App, ReceiveStock, TransferStock};
use tauri::State;
use tokio::sync::RwLock;

use crate::convert as c;
use crate::dto::*;

/// The shell's state: the application on the database in use (replaced when the user switches).
pub struct Shell {
    pub app: RwLock<App>,
    pub actor: Actor,
    /// Set while the first-start demo shop loads in the background.
    pub demo_loading: std::sync::atomic::AtomicBool,
}

impl Shell {
    async fn app(&self) -> App {
        self.app.read().await.clone()
    }

    fn demo_loading(&self) -> bool {
        self.demo_loading.load(std::sync::atomic::Ordering::SeqCst)
    }

    async fn info(&self, app: &App) -> Result<AppInfoDto, Error> {
        Ok(c::app_info(app.info().await?, self.demo_loading()))
    }
}

type Reply<T> = Result<T, AppErrorDto>;

fn uuid(text: &str, field: &str) -> Result<uuid::Uuid, Error> {
    orderly::domain::ids::parse_uuid(text, field)
}

macro_rules! commands {
    ($( async fn $name:ident ( $shell:ident $(, $arg:ident : $argty:ty)* ) -> $ret:ty $body:block )*) => {
        $(
            #[tauri::command]
            pub async fn $name(state: State<'_, Shell> $(, $arg: $argty)*) -> Reply<$ret> {
                let $shell: &Shell = state.inner();
                let result: Result<$ret, Error> = async { $body }.await;
                result.map_err(c::error)
            }
        )*

        /// The Tauri handler for every command above.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// `(command, [(argument in camelCase, TypeScript type)], result TypeScript type)` for each command.
        #[cfg(test)]
        pub fn signatures() -> Vec<(&'static str, Vec<(String, String)>, String)> {
            let cfg = ts_rs::Config::from_env();
            vec![$(
                (
                    stringify!($name),
                    vec![$((crate::bindings::camel(stringify!($arg)), <$argty as ts_rs::TS>::name(&cfg))),*],
                    <$ret as ts_rs::TS>::name(&cfg),
                )
            ),*]
        }
    };
}

commands! {
    async fn app_info(shell) -> AppInfoDto {
        shell.info(&shell.app().await).await
    }

    async fn list_orders(shell, query: OrderQueryDto) -> OrderPageDto {
        let q = c::order_query(query)?;
        Ok(c::order_page(shell.app().await.list_orders(&q).await?))
    }

    async fn get_order(shell, number: String) -> OrderDetailDto {
        Ok(c::order_detail(shell.app().await.order(&number).await?))
    }

    async fn create_order(shell, order: NewOrderDto) -> OrderDetailDto {
        Ok(c::order_detail(shell.app().await.create_order(&shell.actor, c::new_order(order)).await?))
    }

    async fn change_order_status(shell, change: StatusChangeDto) -> OrderDetailDto {
        let app = shell.app().await;
        let o = app.change_status(&shell.actor, &change.number, c::status_in(change.to), change.reason.as_deref()).await?;
        Ok(c::order_detail(o))
    }

    async fn reroute_order(shell, input: RerouteDto) -> OrderDetailDto {
        let app = shell.app().await;
        Ok(c::order_detail(app.reroute(&shell.actor, &input.number, &input.location, &input.reason).await?))
    }

    async fn find_product(shell, code: String) -> Option<ProductDto> {
        Ok(shell.app().await.find_product(&code).await?.map(c::product))
    }

    async fn list_products(shell, query: ProductQueryDto) -> ProductPageDto {
        let app = shell.app().await;
        Ok(c::product_page(app.list_products(query.search.as_deref(), query.offset, query.limit).await?))
    }

    async fn create_product(shell, product: ProductInputDto) -> ProductDto {
        Ok(c::product(shell.app().await.create_product(c::product_in(product)).await?))
    }

    async fn update_product(shell, id: String, product: ProductInputDto) -> ProductDto {
        let id = uuid(&id, "id")?;
        Ok(c::product(shell.app().await.update_product(id, c::product_in(product)).await?))
    }

    async fn list_locations(shell) -> Vec<LocationDto> {
        Ok(shell.app().await.locations().await?.into_iter().map(c::location).collect())
    }

    async fn create_location(shell, location: LocationInputDto) -> LocationDto {
        Ok(c::location(shell.app().await.create_location(c::location_in(location)).await?))
    }

    async fn update_location(shell, id: String, location: LocationInputDto) -> LocationDto {
        let id = uuid(&id, "id")?;
        Ok(c::location(shell.app().await.update_location(id, c::location_in(location)).await?))
    }

    async fn list_channels(shell) -> Vec<ChannelDto> {
        Ok(shell.app().await.channels().await?.into_iter().map(c::channel).collect())
    }

    async fn create_channel(shell, channel: ChannelInputDto) -> ChannelDto {
        let app = shell.app().await;
        Ok(c::channel(app.create_channel(&channel.code, &channel.name, channel.safety_stock).await?))
    }

    async fn update_channel(shell, channel: ChannelInputDto) -> ChannelDto {
        let app = shell.app().await;
        Ok(c::channel(app.update_channel(&channel.code, &channel.name, channel.safety_stock).await?))
    }

    async fn search_customers(shell, search: String) -> Vec<CustomerDto> {
        Ok(shell.app().await.search_customers(&search).await?.into_iter().map(c::customer).collect())
    }

    async fn create_customer(shell, customer: CustomerInputDto) -> CustomerDto {
        Ok(c::customer(shell.app().await.create_customer(c::customer_in(customer)).await?))
    }

    async fn list_inventory(shell, query: InventoryQueryDto) -> InventoryPageDto {
        let app = shell.app().await;
        let page = app.balances(query.search.as_deref(), query.location.as_deref(), query.offset, query.limit).await?;
        Ok(c::balance_page(page))
    }

    async fn receive_stock(shell, input: ReceiveStockDto) -> StockBalanceDto {
        let r = ReceiveStock { sku: input.sku, location: input.location, qty: input.qty, note: input.note };
        Ok(c::balance(shell.app().await.receive_stock(&shell.actor, r).await?))
    }

    async fn adjust_stock(shell, input: AdjustStockDto) -> StockBalanceDto {
        let a = AdjustStock { sku: input.sku, location: input.location, delta: input.delta, reason: input.reason, note: input.note };
        Ok(c::balance(shell.app().await.adjust_stock(&shell.actor, a).await?))
    }

    async fn transfer_stock(shell, input: TransferStockDto) -> TransferDto {
        let t = TransferStock { sku: input.sku, from: input.from, to: input.to, qty: input.qty, arrived: input.arrived };
        Ok(c::transfer(shell.app().await.transfer_stock(&shell.actor, t).await?))
    }

    async fn list_transfers(shell, open_only: bool) -> Vec<TransferDto> {
        Ok(shell.app().await.transfers(open_only).await?.into_iter().map(c::transfer).collect())
    }

    async fn receive_transfer(shell, id: String) -> TransferDto {
        let id = uuid(&id, "id")?;
        Ok(c::transfer(shell.app().await.receive_transfer(&shell.actor, id).await?))
    }

    async fn list_movements(shell, sku: String, location: Option<String>) -> Vec<MovementDto> {
        let app = shell.app().await;
        Ok(app.movements(&sku, location.as_deref()).await?.into_iter().map(c::movement).collect())
    }

    async fn verify_inventory(shell) -> VerifyReportDto {
        Ok(c::verify_report(shell.app().await.verify().await?))
    }

    async fn get_settings(shell) -> SettingsDto {
        Ok(c::settings(shell.app().await.settings().await?))
    }

    async fn save_settings(shell, settings: SettingsDto) -> SettingsDto {
        Ok(c::settings(shell.app().await.save_settings(c::settings_in(settings)).await?))
    }

    async fn test_database(shell, url: String) -> DatabaseTestDto {
        let _ = shell;
        let url = if url.trim().is_empty() { orderly::config::default_database_url()? } else { url.trim().to_owned() };
        let kind = orderly::db::DbKind::of_url(&url)?;
        Ok(match orderly::db::test_connection(&url).await {
            Ok(version) => DatabaseTestDto { ok: true, kind: kind.as_str().into(), message: format!("Connected: {version}") },
            Err(e) => DatabaseTestDto { ok: false, kind: kind.as_str().into(), message: e.user_message() },
        })
    }

    async fn switch_database(shell, url: String) -> AppInfoDto {
        let chosen = url.trim().to_owned();
        let target = if chosen.is_empty() { orderly::config::default_database_url()? } else { chosen.clone() };
        let next = App::open(&target).await?;
        orderly::config::save_workstation(&orderly::config::Workstation {
            database_url: (!chosen.is_empty()).then_some(chosen),
        })?;
        let previous = std::mem::replace(&mut *shell.app.write().await, next.clone());
        previous.close().await;
        tracing::info!(kind = next.database_kind().as_str(), "switched database");
        shell.info(&next).await
    }

    async fn get_routing_settings(shell) -> RoutingSettingsVersionDto {
        Ok(c::routing_version(shell.app().await.routing_settings().await?))
    }

    async fn routing_history(shell, limit: i64) -> Vec<RoutingSettingsVersionDto> {
        Ok(shell.app().await.routing_history(limit).await?.into_iter().map(c::routing_version).collect())
    }

    async fn save_routing_settings(shell, input: SaveRoutingSettingsDto) -> RoutingSettingsVersionDto {
        let app = shell.app().await;
        let saved = app.save_routing_settings(&shell.actor, c::routing_settings_in(input.settings), input.note.as_deref()).await?;
        Ok(c::routing_version(saved))
    }

    async fn routing_what_if(shell, proposed: RoutingSettingsDto, last_orders: i64) -> WhatIfReportDto {
        Ok(c::what_if(shell.app().await.what_if(c::routing_settings_in(proposed), last_orders).await?))
    }

    async fn get_rate_cards(shell) -> RateCardsVersionDto {
        Ok(c::rate_cards_version(shell.app().await.rate_cards().await?))
    }

    async fn rate_card_history(shell, limit: i64) -> Vec<RateCardsVersionDto> {
        Ok(shell.app().await.rate_card_history(limit).await?.into_iter().map(c::rate_cards_version).collect())
    }

    async fn save_rate_cards(shell, input: SaveRateCardsDto) -> RateCardsVersionDto {
        let saved = shell.app().await.save_rate_cards(&shell.actor, c::rate_cards_in(input.cards), input.note.as_deref()).await?;
        Ok(c::rate_cards_version(saved))
    }

    async fn quote_shipment(shell, request: QuoteRequestDto) -> RateShopDto {
        let (from, to, grams, packages, promised_by) = c::quote_request(request)?;
        Ok(c::rate_shop(shell.app().await.quote_shipment(&from, &to, grams, packages, promised_by).await?))
    }

    async fn load_demo(shell) -> AppInfoDto {
        let app = shell.app().await;
        orderly::demo::load(&app, Default::default()).await?;
        shell.info(&app).await
    }

    async fn clear_data(shell) -> AppInfoDto {
        let app = shell.app().await;
        app.clear_data().await?;
        shell.info(&app).await
    }
}
