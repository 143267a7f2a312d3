//! The `orderly` binary: with no arguments it opens the desktop window; with a subcommand it runs
//! the command line (`orderly --help`) headless and exits.

#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

#[cfg(test)]
mod bindings;
mod commands;
mod convert;
mod dto;

use std::process::ExitCode;

use orderly::app::{Actor, App};
use tokio::sync::RwLock;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ORDERLY_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    if args.len() > 1 {
        return runtime.block_on(orderly::cli::run(args));
    }
    tauri::async_runtime::set(runtime.handle().clone());
    match runtime.block_on(open_app()) {
        Ok(app) => run_desktop(app),
        Err(e) => {
            tracing::error!(error = %e, "cannot open the database");
            ExitCode::FAILURE
        }
    }
}

/// Opens this workstation's database; on the very first start, loads the demo shop to learn on.
async fn open_app() -> orderly::Result<App> {
    let url = orderly::config::resolve_database_url(None)?;
    let app = App::open(&url).await?;
    if orderly::demo::load_on_first_start(&app).await? {
        tracing::info!("first start: demo shop loaded");
    }
    Ok(app)
}

fn run_desktop(app: App) -> ExitCode {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "desktop".into());
    let shell = commands::Shell {
        app: RwLock::new(app),
        actor: Actor::new(user),
    };
    let result = tauri::Builder::default()
        .manage(shell)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the desktop window failed");
            ExitCode::FAILURE
        }
    }
}
