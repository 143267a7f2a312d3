//! Where this workstation keeps its data and which database it uses.
//!
//! The database URL is chosen, first match wins: the `--db` option, the `ORDERLY_DATABASE_URL`
//! environment variable, the workstation file `workstation.json` in the OS config folder (written
//! when the user picks a database in Settings), and finally the SQLite file `orderly.db` in the OS
//! app-data folder. The folders follow the desktop identifier, as Tauri's own do.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The desktop app's identifier (also in tauri.conf.json).
pub const IDENTIFIER: &str = "com.orderly.desktop";
pub const DATABASE_ENV: &str = "ORDERLY_DATABASE_URL";

/// The OS app-data folder of Orderly (e.g. `~/.local/share/com.orderly.desktop`).
pub fn data_dir() -> Result<PathBuf> {
    let base = directories::BaseDirs::new()
        .ok_or_else(|| Error::Internal("the home folder could not be found".into()))?;
    Ok(base.data_dir().join(IDENTIFIER))
}

/// The OS config folder of Orderly (e.g. `~/.config/com.orderly.desktop`).
pub fn config_dir() -> Result<PathBuf> {
    let base = directories::BaseDirs::new()
        .ok_or_else(|| Error::Internal("the home folder could not be found".into()))?;
    Ok(base.config_dir().join(IDENTIFIER))
}

/// `sqlite://…/orderly.db` in the app-data folder.
pub fn default_database_url() -> Result<String> {
    let dir = data_dir()?;
    Ok(sqlite_url(&dir.join("orderly.db")))
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Settings of this workstation (not shared through the database).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workstation {
    /// The database this desktop uses; `None` = the local SQLite file.
    #[serde(default)]
    pub database_url: Option<String>,
    /// This desk's own location (a store counter sees its store's queues first).
    #[serde(default)]
    pub home_location: Option<String>,
    /// Where shipping labels print; `None` = into [`printouts_dir`].
    #[serde(default)]
    pub label_printer: Option<crate::shipping::print::PrinterTarget>,
    /// PDF (laser / any printer) or ZPL (thermal label printer); PDF when unset.
    #[serde(default)]
    pub label_format: Option<crate::shipping::print::DocKind>,
    /// Where packing slips, pick lists and purchase orders print; `None` = into [`printouts_dir`].
    #[serde(default)]
    pub document_printer: Option<crate::shipping::print::PrinterTarget>,
}

/// The folder documents are saved into when no printer is chosen.
pub fn printouts_dir() -> Result<PathBuf> {
    Ok(data_dir()?.join("printouts"))
}

fn workstation_path() -> Result<PathBuf> {
    Ok(config_dir()?.join("workstation.json"))
}

pub fn load_workstation() -> Result<Workstation> {
    let path = workstation_path()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            Error::Internal(format!(
                "{} is not valid: {e}; fix or delete it",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Workstation::default()),
        Err(e) => Err(Error::Internal(format!(
            "{} cannot be read: {e}",
            path.display()
        ))),
    }
}

/// Saves the workstation file atomically (write a temporary file, sync, rename), readable only by
/// the user since a database URL may hold a password.
pub fn save_workstation(w: &Workstation) -> Result<()> {
    let path = workstation_path()?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", dir.display())))?;
    let tmp = dir.join("workstation.json.tmp");
    let text = serde_json::to_string_pretty(w).map_err(|e| Error::Internal(e.to_string()))?;
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)
            .map_err(|e| Error::Internal(format!("cannot write {}: {e}", tmp.display())))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = f.set_permissions(std::fs::Permissions::from_mode(0o600));
        }
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::Internal(format!("cannot write {}: {e}", tmp.display())))?;
    }
    std::fs::rename(&tmp, &path)
        .map_err(|e| Error::Internal(format!("cannot replace {}: {e}", path.display())))?;
    Ok(())
}

/// The database URL to use, given an explicit choice (the `--db` option) if any.
pub fn resolve_database_url(explicit: Option<&str>) -> Result<String> {
    if let Some(u) = explicit.map(str::trim).filter(|u| !u.is_empty()) {
        return Ok(u.to_owned());
    }
    if let Ok(u) = std::env::var(DATABASE_ENV)
        && !u.trim().is_empty()
    {
        return Ok(u.trim().to_owned());
    }
    if let Some(u) = load_workstation()?
        .database_url
        .filter(|u| !u.trim().is_empty())
    {
        return Ok(u);
    }
    let dir = data_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", dir.display())))?;
    default_database_url()
}
