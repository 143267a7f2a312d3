//! TypeScript bindings for the web view: every transport type (via ts-rs) and the `Commands` map
//! of command name → arguments and result. `cargo test -p orderly-desktop` fails when the
//! committed files in `ui/src/bindings/` differ from what the Rust types produce; run it with
//! `UPDATE_BINDINGS=1` to rewrite them.

use std::collections::BTreeSet;

use ts_rs::TS;

use crate::customers::*;
use crate::dto::*;
use crate::fulfilment::*;
use crate::returns::*;

/// `open_only` → `openOnly` (Tauri's default argument renaming).
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for ch in snake.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

macro_rules! all_types {
    ($($t:ty),* $(,)?) => {
        /// `(file name, contents)` of every generated binding.
        pub fn files() -> Vec<(String, String)> {
            let cfg = ts_rs::Config::from_env();
            let mut files = vec![$((
                format!("{}.ts", <$t as TS>::ident(&cfg)),
                <$t as TS>::export_to_string(&cfg).expect("a transport type exports to TypeScript"),
            )),*];
            files.push(("commands.ts".to_owned(), commands_ts()));
            files
        }
    };
}

all_types!(
    MoneyDto,
    AppErrorDto,
    ErrorCodeDto,
    AppInfoDto,
    AddressDto,
    ProductDto,
    ProductInputDto,
    ProductQueryDto,
    ProductPageDto,
    LocationKindDto,
    ShippingRateDto,
    LocationDto,
    LocationInputDto,
    ChannelDto,
    ChannelInputDto,
    CustomerDto,
    CustomerInputDto,
    CustomerDetailDto,
    TimelineSourceDto,
    CustomerTimelineEntryDto,
    CustomerTimelinePageDto,
    OrderStatusDto,
    OrderLineInputDto,
    PaymentInputDto,
    NewOrderDto,
    AttributeDto,
    OrderSortDto,
    OrderQueryDto,
    OrderSummaryDto,
    OrderPageDto,
    OrderLineDto,
    TotalsDto,
    PaymentDto,
    ReservationDto,
    OrderEventDto,
    OrderDetailDto,
    StatusChangeDto,
    InventoryQueryDto,
    StockBalanceDto,
    InventoryPageDto,
    ReceiveStockDto,
    AdjustStockDto,
    TransferStockDto,
    TransferDto,
    MovementDto,
    VerifyReportDto,
    BalanceDifferenceDto,
    SettingsDto,
    DatabaseTestDto,
    RoutingObjectiveDto,
    MixWeightsDto,
    ChannelRuleDto,
    LocationRuleDto,
    RoutingSettingsDto,
    RoutingSettingsVersionDto,
    RouteLineDto,
    RouteShipmentDto,
    RoutePlanDto,
    OrderRouteDto,
    SaveRoutingSettingsDto,
    RerouteDto,
    ReplaySummaryDto,
    PlanOutlineDto,
    ChangedOrderDto,
    WhatIfReportDto,
    MailTlsDto,
    MailSettingsDto,
    MailKindDto,
    MailStatusDto,
    OutboxRowDto,
    TestMailDto,
    ShipmentKindDto,
    ShipmentStatusDto,
    TrackingKindDto,
    QueueOrderDto,
    QueueShipmentDto,
    WorkQueuesDto,
    PickShareDto,
    PickRowDto,
    PickListDto,
    CreatePickListDto,
    ShipmentLineDto,
    PackageDto,
    TrackingEventDto,
    ShipmentDto,
    PackageInputDto,
    FinishPackingDto,
    LabelRequestDto,
    TrackingInputDto,
    TrackingImportDto,
    TrackingCheckDto,
    PickupHandoverDto,
    FulfilmentSettingsDto,
    SupplierEmailDto,
    DocKindDto,
    DocumentDto,
    PrintRequestDto,
    PrintedDto,
    WorkstationDto,
    RateCardsDto,
    CarrierDto,
    ServiceDto,
    ZoneRuleDto,
    DistanceBandDto,
    PrefixRuleDto,
    WeightBracketDto,
    SurchargesDto,
    OverWeightDto,
    RateCardsVersionDto,
    SaveRateCardsDto,
    QuoteRequestDto,
    QuoteDto,
    RateShopDto,
    ReturnReasonDto,
    ReturnConditionDto,
    ReturnMethodDto,
    DispositionDto,
    ReturnStatusDto,
    RefundToDto,
    ReturnableLineDto,
    ReturnOptionsDto,
    ReturnLineInputDto,
    ReturnInputDto,
    RefundLineDto,
    RefundBreakdownDto,
    ReturnPreviewDto,
    DispositionCountDto,
    ReturnLineDto,
    ReturnLabelInfoDto,
    RefundDto,
    ReturnDto,
    ReturnSummaryDto,
    HeldStockDto,
    ReturnsQueueDto,
    ReturnLabelRequestDto,
    ReceiveUnitsDto,
    RefundInputDto,
    ExchangeInputDto,
    ExchangeDto,
    HeldActionDto,
    ChannelWindowDto,
    ReturnPolicyDto,
);

fn commands_ts() -> String {
    let sigs = crate::commands::signatures();
    let mut imports = BTreeSet::new();
    let mut body = String::new();
    for (name, args, ret) in &sigs {
        let mut arg_text = String::new();
        for (arg, ty) in args {
            arg_text.push_str(&format!(" {arg}: {ty};"));
            collect_idents(ty, &mut imports);
        }
        collect_idents(ret, &mut imports);
        let args = if arg_text.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            format!("{{{arg_text} }}")
        };
        body.push_str(&format!("  {name}: {{ args: {args}; result: {ret} }};\n"));
    }
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs by the bindings test. Do not edit by hand.\n",
    );
    for i in &imports {
        out.push_str(&format!("import type {{ {i} }} from \"./{i}\";\n"));
    }
    out.push_str("\n/** Every command the shell offers: its arguments and its result. */\nexport type Commands = {\n");
    out.push_str(&body);
    out.push_str("};\n\nexport type CommandName = keyof Commands;\n");
    out
}

fn collect_idents(ty: &str, into: &mut BTreeSet<String>) {
    for word in ty.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.ends_with("Dto") {
            into.insert(word.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn bindings_are_up_to_date() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        let update = std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1");
        let mut stale = Vec::new();
        for (name, contents) in super::files() {
            let path = dir.join(&name);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != contents {
                if update {
                    std::fs::create_dir_all(&dir).expect("create the bindings folder");
                    std::fs::write(&path, &contents).expect("write a binding");
                } else {
                    stale.push(name);
                }
            }
        }
        assert!(
            stale.is_empty(),
            "TypeScript bindings are stale: {stale:?}. Run `UPDATE_BINDINGS=1 cargo test -p orderly-desktop bindings` and commit ui/src/bindings/"
        );
    }

    #[test]
    fn argument_names_follow_tauri_renaming() {
        assert_eq!(super::camel("open_only"), "openOnly");
        assert_eq!(super::camel("query"), "query");
    }
}
