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
mod customers;
mod dto;
mod fulfilment;
mod returns;

use std::process::ExitCode;

use std::sync::atomic::{AtomicBool, Ordering};

use orderly::app::{Actor, App};
use tauri::Manager;
use tokio::sync::RwLock;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The command line keeps standard error for its one-line errors; the desktop logs its work.
    let default_filter = if args.len() > 1 {
        "off"
    } else {
        "info,sqlx=warn"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ORDERLY_LOG")
                .unwrap_or_else(|_| EnvFilter::new(default_filter)),
        )
        .with_writer(std::io::stderr)
        .init();
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
        Ok((app, first_start)) => {
            // Customer e-mails go out in the background; the loop ends when the database closes.
            let _mail = {
                let _inside = runtime.enter();
                app.spawn_fulfilment_sweeper();
                app.spawn_mail_dispatcher()
            };
            run_desktop(app, first_start)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot open the database");
            ExitCode::FAILURE
        }
    }
}

/// Opens this workstation's database and says whether it is its very first start.
async fn open_app() -> orderly::Result<(App, bool)> {
    let url = orderly::config::resolve_database_url(None)?;
    let app = App::open(&url).await?;
    let first = orderly::demo::first_start(&app).await?;
    Ok((app, first))
}

fn run_desktop(app: App, first_start: bool) -> ExitCode {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "desktop".into());
    let shell = commands::Shell {
        app: RwLock::new(app.clone()),
        actor: Actor::new(user),
        demo_loading: AtomicBool::new(first_start),
    };
    let result = tauri::Builder::default()
        .manage(shell)
        .setup(move |handle| {
            if first_start {
                // The window opens at once; the demo shop fills in behind it (the UI shows a
                // banner while `demoLoading` is true).
                let handle = handle.handle().clone();
                tauri::async_runtime::spawn(async move {
                    match orderly::demo::load(&app, Default::default()).await {
                        Ok(r) => tracing::info!(orders = r.orders, "first start: demo shop loaded"),
                        Err(e) => tracing::error!(error = %e, "first start: the demo shop could not be loaded"),
                    }
                    handle.state::<commands::Shell>().demo_loading.store(false, Ordering::SeqCst);
                });
            }
            Ok(())
        })
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
