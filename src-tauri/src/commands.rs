//! The commands the web view may call, declared once: the [`commands!`] list produces the Tauri
//! handlers and the typed `Commands` map for TypeScript (`ui/src/bindings/commands.ts`).
//! Each command is a few lines: convert the input, call the facade, convert the output.

use orderly::Error;
use orderly::app::{Actor, AdjustStock, App, ReceiveStock, TransferStock};
use tauri::State;
use tokio::sync::RwLock;

use crate::convert as c;
use crate::customers as cu;
use crate::customers::*;
use crate::dto::*;
use crate::fulfilment as f;
use crate::fulfilment::*;
use crate::returns as r;
use crate::returns::*;

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
            ..orderly::config::load_workstation().unwrap_or_default()
        })?;
        let previous = std::mem::replace(&mut *shell.app.write().await, next.clone());
        // The old database's mail dispatcher stops when it closes; the new one gets its own.
        previous.close().await;
        next.spawn_mail_dispatcher();
        next.spawn_fulfilment_sweeper();
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

    async fn get_mail_settings(shell) -> MailSettingsDto {
        Ok(c::mail_settings(shell.app().await.mail_settings().await?))
    }

    async fn save_mail_settings(shell, settings: MailSettingsDto) -> MailSettingsDto {
        Ok(c::mail_settings(shell.app().await.save_mail_settings(c::mail_settings_in(settings)).await?))
    }

    async fn send_test_mail(shell, to: String) -> TestMailDto {
        Ok(c::test_mail(shell.app().await.send_test_mail(&to).await?))
    }

    async fn list_outbox(shell, status: Option<MailStatusDto>, limit: i64) -> Vec<OutboxRowDto> {
        let rows = shell.app().await.outbox(status.map(c::mail_status_in), limit).await?;
        Ok(rows.into_iter().map(c::outbox_row).collect())
    }

    async fn retry_mail(shell, id: String) -> OutboxRowDto {
        let id = uuid(&id, "id")?;
        Ok(c::outbox_row(shell.app().await.retry_mail(id).await?))
    }

    async fn work_queues(shell, location: String) -> WorkQueuesDto {
        Ok(f::work_queues(shell.app().await.work_queues(&location).await?))
    }

    async fn create_pick_list(shell, input: CreatePickListDto) -> PickListDto {
        let app = shell.app().await;
        let max = usize::try_from(input.max_orders).unwrap_or(0);
        Ok(f::pick_list(app.create_pick_list(&shell.actor, &input.location, &input.orders, max).await?))
    }

    async fn get_pick_list(shell, number: String) -> PickListDto {
        Ok(f::pick_list(shell.app().await.pick_list(&number).await?))
    }

    async fn recent_pick_lists(shell, location: String) -> Vec<String> {
        shell.app().await.recent_pick_lists(&location).await
    }

    async fn get_shipment(shell, reference: String) -> ShipmentDto {
        Ok(f::shipment(shell.app().await.find_shipment(&reference).await?))
    }

    async fn order_shipments(shell, number: String) -> Vec<ShipmentDto> {
        let app = shell.app().await;
        let order = app.order(&number).await?;
        Ok(app.shipments_of_order(order.id).await?.into_iter().map(f::shipment).collect())
    }

    async fn set_bin(shell, sku: String, location: String, bin: Option<String>) -> bool {
        shell.app().await.set_bin(&sku, &location, bin.as_deref()).await?;
        Ok(true)
    }

    async fn pack_scan(shell, shipment: String, code: String) -> ShipmentDto {
        Ok(f::shipment(shell.app().await.pack_scan(&shipment, &code).await?))
    }

    async fn pack_reset(shell, shipment: String) -> ShipmentDto {
        Ok(f::shipment(shell.app().await.pack_reset(&shipment).await?))
    }

    async fn finish_packing(shell, input: FinishPackingDto) -> ShipmentDto {
        let app = shell.app().await;
        let packages = f::packages_in(input.packages);
        Ok(f::shipment(app.finish_packing(&shell.actor, &input.shipment, &packages, input.confirm_short).await?))
    }

    async fn label_shipment(shell, input: LabelRequestDto) -> ShipmentDto {
        let app = shell.app().await;
        Ok(f::shipment(app.label_shipment(&shell.actor, &input.shipment, &f::label_request_in(&input)).await?))
    }

    async fn void_label(shell, shipment: String, reason: String) -> ShipmentDto {
        Ok(f::shipment(shell.app().await.void_label(&shell.actor, &shipment, &reason).await?))
    }

    async fn shipment_quotes(shell, shipment: String) -> RateShopDto {
        Ok(c::rate_shop(shell.app().await.quote_for_shipment(&shipment).await?))
    }

    async fn hand_to_carrier(shell, shipments: Vec<String>) -> Vec<ShipmentDto> {
        let app = shell.app().await;
        Ok(app.hand_to_carrier(&shell.actor, &shipments).await?.into_iter().map(f::shipment).collect())
    }

    async fn add_tracking_event(shell, input: TrackingInputDto) -> ShipmentDto {
        let app = shell.app().await;
        Ok(f::shipment(app.add_tracking_event(&shell.actor, &f::tracking_input_in(input)?).await?.0))
    }

    async fn import_tracking(shell, text: String) -> TrackingImportDto {
        Ok(f::tracking_import(shell.app().await.import_tracking_csv(&shell.actor, &text).await?))
    }

    async fn check_tracking(shell, number: String) -> TrackingCheckDto {
        let _ = shell;
        Ok(f::tracking_check(orderly::domain::tracking::check(&number)))
    }

    async fn send_purchase_order(shell, location: String, order: String) -> ShipmentDto {
        Ok(f::shipment(shell.app().await.send_purchase_order(&shell.actor, &location, &order).await?))
    }

    async fn dropship_shipped(shell, shipment: String, carrier: String, tracking: String) -> ShipmentDto {
        let app = shell.app().await;
        Ok(f::shipment(app.dropship_shipped(&shell.actor, &shipment, &carrier, &tracking).await?))
    }

    async fn pickup_handover(shell, code: String) -> PickupHandoverDto {
        Ok(f::handover(shell.app().await.pickup_handover(&code).await?))
    }

    async fn hand_over(shell, code: String, name: String) -> OrderDetailDto {
        Ok(c::order_detail(shell.app().await.hand_over(&shell.actor, &code, &name).await?))
    }

    async fn release_uncollected(shell) -> Vec<String> {
        shell.app().await.release_uncollected(&shell.actor).await
    }

    async fn get_fulfilment_settings(shell) -> FulfilmentSettingsDto {
        Ok(f::fulfilment_settings(shell.app().await.fulfilment_settings().await?))
    }

    async fn save_fulfilment_settings(shell, settings: FulfilmentSettingsDto) -> FulfilmentSettingsDto {
        let app = shell.app().await;
        let current = app.fulfilment_settings().await?;
        Ok(f::fulfilment_settings(app.save_fulfilment_settings(f::fulfilment_settings_in(settings, &current)).await?))
    }

    async fn get_workstation(shell) -> WorkstationDto {
        let _ = shell;
        Ok(f::workstation(&orderly::config::load_workstation()?))
    }

    async fn save_workstation(shell, input: WorkstationDto) -> WorkstationDto {
        let app = shell.app().await;
        let parse = |t: &Option<String>, field: &str| -> Result<Option<orderly::shipping::print::PrinterTarget>, Error> {
            match t.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(t) => orderly::shipping::print::PrinterTarget::parse(t, field).map(Some),
            }
        };
        let home = match input.home_location.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            None => None,
            Some(h) => Some(app.location_by_code(h, "homeLocation").await?.code),
        };
        let w = orderly::config::Workstation {
            home_location: home,
            label_printer: parse(&input.label_printer, "labelPrinter")?,
            label_format: Some(f::doc_kind_in(input.label_format)),
            document_printer: parse(&input.document_printer, "documentPrinter")?,
            ..orderly::config::load_workstation().unwrap_or_default()
        };
        orderly::config::save_workstation(&w)?;
        Ok(f::workstation(&w))
    }

    async fn print_document(shell, request: PrintRequestDto) -> PrintedDto {
        let app = shell.app().await;
        let w = orderly::config::load_workstation().unwrap_or_default();
        let folder = orderly::shipping::print::PrinterTarget::File { dir: orderly::config::printouts_dir()? };
        let (docs, target) = match request.document {
            DocumentDto::Labels => {
                let format = w.label_format.unwrap_or(orderly::shipping::print::DocKind::Pdf);
                (app.shipment_labels(&request.reference, format).await?, w.label_printer.clone())
            }
            DocumentDto::PackingSlip => (vec![app.packing_slip(&request.reference).await?], w.document_printer.clone()),
            DocumentDto::PickList => (vec![app.pick_list_document(&request.reference).await?], w.document_printer.clone()),
            DocumentDto::PurchaseOrder => (vec![app.purchase_order_document(&request.reference).await?], w.document_printer.clone()),
            DocumentDto::ReturnLabel => {
                let format = w.label_format.unwrap_or(orderly::shipping::print::DocKind::Pdf);
                (vec![app.return_label_document(&request.reference, format).await?], w.label_printer.clone())
            }
            DocumentDto::ReturnReceipt => (vec![app.return_receipt_document(&request.reference).await?], w.document_printer.clone()),
        };
        let target = target.unwrap_or(folder);
        let mut receipts = Vec::new();
        for d in &docs {
            receipts.push(app.print_document(&target, d).await?);
        }
        Ok(f::printed(receipts, &docs))
    }

    async fn return_options(shell, order: String) -> ReturnOptionsDto {
        Ok(r::options(shell.app().await.return_options(&order).await?))
    }

    async fn preview_return(shell, input: ReturnInputDto) -> ReturnPreviewDto {
        Ok(r::preview(shell.app().await.preview_return(&r::return_input(input)).await?))
    }

    async fn create_return(shell, input: ReturnInputDto) -> ReturnDto {
        Ok(r::return_dto(shell.app().await.create_return(&shell.actor, r::return_input(input)).await?))
    }

    async fn get_return(shell, number: String) -> ReturnDto {
        Ok(r::return_dto(shell.app().await.get_return(&number).await?))
    }

    async fn order_returns(shell, order: String) -> Vec<ReturnSummaryDto> {
        let app = shell.app().await;
        let id = app.order(&order).await?.id;
        Ok(app.order_returns(id).await?.into_iter().map(r::summary).collect())
    }

    async fn returns_queue(shell, location: String) -> ReturnsQueueDto {
        Ok(r::queue(shell.app().await.returns_queue(&location).await?))
    }

    async fn return_label(shell, input: ReturnLabelRequestDto) -> ReturnDto {
        let app = shell.app().await;
        let req = r::label_request(input, &app.settings().await?.currency)?;
        Ok(r::return_dto(app.return_label(&shell.actor, req).await?))
    }

    async fn receive_return(shell, input: ReceiveUnitsDto) -> ReturnDto {
        Ok(r::return_dto(shell.app().await.receive_return(&shell.actor, r::receive_units(input)).await?))
    }

    async fn refund_preview(shell, ret: String, before_receipt: bool) -> RefundBreakdownDto {
        Ok(r::breakdown(shell.app().await.refund_preview(&ret, before_receipt).await?))
    }

    async fn refund_return(shell, input: RefundInputDto) -> RefundDto {
        let app = shell.app().await;
        let input = r::refund_input(input, &app.settings().await?.currency)?;
        Ok(r::refund(app.refund_return(&shell.actor, input).await?))
    }

    async fn create_exchange(shell, input: ExchangeInputDto) -> ExchangeDto {
        Ok(r::exchange(shell.app().await.create_exchange(&shell.actor, r::exchange_input(input)).await?))
    }

    async fn cancel_return(shell, ret: String, reason: String) -> ReturnDto {
        Ok(r::return_dto(shell.app().await.cancel_return(&shell.actor, &ret, &reason).await?))
    }

    async fn held_stock_action(shell, input: HeldActionDto) -> bool {
        shell.app().await.held_stock_action(&shell.actor, r::held_action(input)).await
    }

    async fn get_return_policy(shell) -> ReturnPolicyDto {
        Ok(r::policy(shell.app().await.return_policy().await?))
    }

    async fn save_return_policy(shell, policy: ReturnPolicyDto) -> ReturnPolicyDto {
        Ok(r::policy(shell.app().await.save_return_policy(r::policy_in(policy)).await?))
    }

    async fn customer_detail(shell, id: String) -> CustomerDetailDto {
        Ok(cu::detail(shell.app().await.customer_detail(uuid(&id, "id")?).await?))
    }

    async fn customer_orders(shell, id: String, offset: i64, limit: i64) -> OrderPageDto {
        Ok(c::order_page(shell.app().await.customer_orders(uuid(&id, "id")?, offset, limit).await?))
    }

    async fn customer_timeline(shell, id: String, before: Option<String>, limit: i64) -> CustomerTimelinePageDto {
        let before = cu::cursor(before)?;
        Ok(cu::timeline(shell.app().await.customer_timeline(uuid(&id, "id")?, before, limit).await?))
    }
}
