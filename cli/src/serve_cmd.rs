//! `kafka-model serve-registry`: the embedded Confluent-API registry as a local server.

use kafka_model::registry::{server, MemoryRegistry, PersistOptions};
use serde_json::json;

use crate::{CliError, ServeRegistryArgs};

fn io_err(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> CliError {
    let context = context.into();
    move |source| CliError::Io { context, source }
}

/// Serves until Ctrl-C or SIGTERM; answers `Ok(true)` after a clean stop.
pub fn run(args: &ServeRegistryArgs) -> Result<bool, CliError> {
    install_log();
    let registry = match &args.data {
        Some(path) => MemoryRegistry::open_with(
            path,
            PersistOptions::default().compact_every(args.compact_every),
        )?,
        None => MemoryRegistry::new(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(io_err("cannot start a runtime"))?;
    runtime.block_on(serve(args, registry))
}

async fn serve(args: &ServeRegistryArgs, registry: MemoryRegistry) -> Result<bool, CliError> {
    // Install the handlers before announcing the URL: a signal right after it is not missed.
    let stop = stop_signal()?;
    let server = server::serve_on(args.addr, registry.clone())
        .await
        .map_err(io_err(format!("cannot listen on {}", args.addr)))?;
    let data = args.data.as_ref().map(|p| p.display().to_string());
    if args.json {
        println!(
            "{}",
            json!({ "url": server.url(), "addr": server.addr().to_string(), "data": data })
        );
    } else {
        println!("listening on {}", server.url());
        match &data {
            Some(path) => eprintln!("registry data in {path} (Ctrl-C stops)"),
            None => eprintln!("registry in memory only (Ctrl-C stops)"),
        }
    }
    let signal = stop.await;
    eprintln!("{signal}: stopping");
    // Finishes the requests in flight (each answered only once on disk), then writes a fresh
    // snapshot so the next start replays nothing.
    server.shutdown().await;
    registry.compact()?;
    eprintln!("stopped");
    Ok(true)
}

/// A future resolving (to the signal's name) on Ctrl-C, or on SIGTERM on Unix.
fn stop_signal() -> Result<impl std::future::Future<Output = &'static str>, CliError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt =
            signal(SignalKind::interrupt()).map_err(io_err("cannot handle SIGINT"))?;
        let mut terminate =
            signal(SignalKind::terminate()).map_err(io_err("cannot handle SIGTERM"))?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => "interrupted",
                _ = terminate.recv() => "terminated",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            "interrupted"
        })
    }
}

/// Logs to stderr: warnings and errors unless `RUST_LOG` asks for more (`RUST_LOG=info`,
/// `RUST_LOG=kafka_model=debug`). Opening the data file may already warn (a torn last journal
/// record dropped), so this comes first.
fn install_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // Fails only when a subscriber is already installed, which then keeps logging.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
