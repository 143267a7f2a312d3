//! Sending a finished document to a printer: a CUPS queue (`lp`), a network label printer over raw
//! TCP (port 9100), or a folder ("save as"). The only module of `shipping` that does I/O.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};

/// Where a workstation prints labels or documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrinterTarget {
    /// A CUPS queue, printed with `lp -d QUEUE`.
    Cups { queue: String },
    /// A network printer taking raw bytes (ZPL, or PDF on printers that read it) on `port`.
    Raw { host: String, port: u16 },
    /// A folder the document is written into.
    File { dir: PathBuf },
}

/// Time allowed to connect to a raw printer, and to send the bytes.
pub const RAW_TIMEOUT: Duration = Duration::from_secs(5);

impl PrinterTarget {
    /// Parses `raw://HOST:PORT` (port 9100 when left out), `cups://QUEUE` or `file:///DIR`.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let t = text.trim();
        let bad = |why: &str| {
            Error::invalid(
                field,
                format!(
                    "'{t}' is not a printer: {why}. Use raw://HOST:PORT, cups://QUEUE or file:///FOLDER"
                ),
            )
        };
        let target = if let Some(rest) = t.strip_prefix("raw://") {
            let rest = rest.trim_end_matches('/');
            let (host, port) = match rest.rsplit_once(':') {
                Some((h, p)) if !h.ends_with(':') || h.starts_with('[') => (
                    h.trim_start_matches('[').trim_end_matches(']').to_owned(),
                    p.parse::<u16>()
                        .map_err(|_| bad("the port is not a number from 1 to 65535"))?,
                ),
                _ => (rest.to_owned(), 9100),
            };
            PrinterTarget::Raw { host, port }
        } else if let Some(rest) = t.strip_prefix("cups://") {
            PrinterTarget::Cups {
                queue: rest.trim_end_matches('/').to_owned(),
            }
        } else if let Some(rest) = t.strip_prefix("file://") {
            PrinterTarget::File {
                dir: PathBuf::from(if rest.is_empty() { "." } else { rest }),
            }
        } else {
            return Err(bad("the kind of printer is missing"));
        };
        target.validate(field)?;
        Ok(target)
    }

    /// Checks the target's parts; `field` names it in errors.
    pub fn validate(&self, field: &str) -> Result<()> {
        match self {
            PrinterTarget::Cups { queue } => {
                if queue.is_empty()
                    || queue.len() > 127
                    || !queue
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
                {
                    return Err(Error::invalid(
                        format!("{field}.queue"),
                        format!(
                            "'{queue}' is not a CUPS queue name: use letters, digits, '_', '-', '.' (see lpstat -p)"
                        ),
                    ));
                }
            }
            PrinterTarget::Raw { host, port } => {
                if host.is_empty()
                    || host.len() > 253
                    || !host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
                {
                    return Err(Error::invalid(
                        format!("{field}.host"),
                        format!(
                            "'{host}' is not a printer host: give its IP address or network name"
                        ),
                    ));
                }
                if *port == 0 {
                    return Err(Error::invalid(
                        format!("{field}.port"),
                        "Port 0 is not a printer port: label printers usually listen on 9100",
                    ));
                }
            }
            PrinterTarget::File { dir } => {
                if dir.as_os_str().is_empty() {
                    return Err(Error::invalid(
                        format!("{field}.dir"),
                        "The folder is empty: choose where to save documents",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What is being printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Pdf,
    Zpl,
}

impl DocKind {
    fn extension(self) -> &'static str {
        match self {
            DocKind::Pdf => "pdf",
            DocKind::Zpl => "zpl",
        }
    }

    /// Recognises a document from its first bytes (`%PDF` or a ZPL `^XA`).
    pub fn sniff(bytes: &[u8]) -> Option<DocKind> {
        let head: Vec<u8> = bytes
            .iter()
            .copied()
            .skip_while(u8::is_ascii_whitespace)
            .take(8)
            .collect();
        if head.starts_with(b"%PDF") {
            Some(DocKind::Pdf)
        } else if head.starts_with(b"^XA") || head.starts_with(b"~") || head.starts_with(b"^") {
            Some(DocKind::Zpl)
        } else {
            None
        }
    }
}

/// A document to print: a name (job title / file name), its bytes and kind.
#[derive(Debug, Clone, Copy)]
pub struct PrintDoc<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub kind: DocKind,
}

/// What happened: where it went and how many bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintReceipt {
    /// `raw://host:port`, `cups://queue` (with the CUPS job id when `lp` reports one), or the file path.
    pub destination: String,
    pub bytes: usize,
    /// The CUPS job id (`queue-123`) when `lp` reports one.
    pub job: Option<String>,
}

/// Sends `doc` to `target`.
pub async fn print(target: &PrinterTarget, doc: PrintDoc<'_>) -> Result<PrintReceipt> {
    target.validate("printer")?;
    if doc.bytes.is_empty() {
        return Err(Error::invalid(
            "document",
            "The document is empty: nothing to print",
        ));
    }
    let receipt = match target {
        PrinterTarget::Raw { host, port } => raw(host, *port, doc.bytes).await?,
        PrinterTarget::Cups { queue } => cups(queue, doc).await?,
        PrinterTarget::File { dir } => file(dir, doc).await?,
    };
    tracing::info!(destination = %receipt.destination, bytes = receipt.bytes, name = doc.name, "printed");
    Ok(receipt)
}

async fn raw(host: &str, port: u16, bytes: &[u8]) -> Result<PrintReceipt> {
    let destination = format!("raw://{host}:{port}");
    let unreachable = |why: String| {
        Error::invalid(
            "printer",
            format!(
                "The printer at {host}:{port} did not answer ({why}): check that it is on, on the network, and the address and port (usually 9100)"
            ),
        )
    };
    let mut stream =
        tokio::time::timeout(RAW_TIMEOUT, tokio::net::TcpStream::connect((host, port)))
            .await
            .map_err(|_| unreachable(format!("no connection within {} s", RAW_TIMEOUT.as_secs())))?
            .map_err(|e| unreachable(e.to_string()))?;
    tokio::time::timeout(RAW_TIMEOUT, async {
        stream.write_all(bytes).await?;
        stream.flush().await?;
        stream.shutdown().await
    })
    .await
    .map_err(|_| {
        unreachable(format!(
            "sending took longer than {} s",
            RAW_TIMEOUT.as_secs()
        ))
    })?
    .map_err(|e| unreachable(e.to_string()))?;
    Ok(PrintReceipt {
        destination,
        bytes: bytes.len(),
        job: None,
    })
}

/// A job title safe for `lp -t`.
fn job_title(name: &str) -> String {
    let t: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(100)
        .collect();
    if t.trim().is_empty() {
        "Orderly document".to_owned()
    } else {
        t
    }
}

async fn cups(queue: &str, doc: PrintDoc<'_>) -> Result<PrintReceipt> {
    use std::process::Stdio;
    let mut cmd = tokio::process::Command::new("lp");
    cmd.arg("-d").arg(queue);
    if doc.kind == DocKind::Zpl {
        cmd.arg("-o").arg("raw");
    }
    cmd.arg("-t")
        .arg(job_title(doc.name))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::invalid(
                "printer",
                "Printing to a system printer needs the CUPS 'lp' command, which is not installed: install cups-client (apt-get install cups-client), or print raw to the printer's address",
            )
        } else {
            Error::Internal(format!("lp could not be started: {e}"))
        }
    })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(doc.bytes)
            .await
            .map_err(|e| Error::Internal(format!("writing to lp failed: {e}")))?;
        drop(stdin);
    }
    let out = child
        .wait_with_output()
        .await
        .map_err(|e| Error::Internal(format!("lp failed: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let msg = stderr.trim();
        let unknown = msg.contains("does not exist")
            || msg.contains("Unknown destination")
            || msg.contains("not exist");
        return Err(if unknown {
            Error::invalid(
                "printer.queue",
                format!(
                    "The CUPS queue '{queue}' does not exist: pick one of the printers that 'lpstat -p' lists"
                ),
            )
        } else {
            Error::invalid(
                "printer",
                format!(
                    "The system printer refused the job: {}",
                    if msg.is_empty() { "lp failed" } else { msg }
                ),
            )
        });
    }
    // "request id is QUEUE-123 (1 file(s))"
    let job = stdout
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .map(str::to_owned);
    Ok(PrintReceipt {
        destination: format!("cups://{queue}"),
        bytes: doc.bytes.len(),
        job,
    })
}

/// A file name from the document name: letters, digits, `-`, `_`, `.`; the kind's extension.
fn file_name(name: &str, kind: DocKind) -> String {
    let mut stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let ext = format!(".{}", kind.extension());
    if stem.to_ascii_lowercase().ends_with(&ext) {
        stem.truncate(stem.len() - ext.len());
    }
    let stem = stem.trim_matches('.');
    let stem = if stem.is_empty() { "document" } else { stem };
    format!("{stem}{ext}")
}

async fn file(dir: &Path, doc: PrintDoc<'_>) -> Result<PrintReceipt> {
    tokio::fs::create_dir_all(dir).await.map_err(|e| {
        Error::invalid(
            "printer.dir",
            format!("The folder {} cannot be created: {e}", dir.display()),
        )
    })?;
    let path = dir.join(file_name(doc.name, doc.kind));
    // Write then rename, so a reader never sees half a document.
    let tmp = dir.join(format!(".{}.part", file_name(doc.name, doc.kind)));
    tokio::fs::write(&tmp, doc.bytes).await.map_err(|e| {
        Error::invalid(
            "printer.dir",
            format!("{} cannot be written: {e}", tmp.display()),
        )
    })?;
    tokio::fs::rename(&tmp, &path).await.map_err(|e| {
        Error::invalid(
            "printer.dir",
            format!("{} cannot be written: {e}", path.display()),
        )
    })?;
    Ok(PrintReceipt {
        destination: path.display().to_string(),
        bytes: doc.bytes.len(),
        job: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_validate() {
        assert_eq!(
            PrinterTarget::parse("raw://10.0.0.5:9100", "p").unwrap(),
            PrinterTarget::Raw {
                host: "10.0.0.5".into(),
                port: 9100
            }
        );
        assert_eq!(
            PrinterTarget::parse("raw://zebra.local", "p").unwrap(),
            PrinterTarget::Raw {
                host: "zebra.local".into(),
                port: 9100
            }
        );
        assert_eq!(
            PrinterTarget::parse("cups://Zebra_4x6", "p").unwrap(),
            PrinterTarget::Cups {
                queue: "Zebra_4x6".into()
            }
        );
        assert_eq!(
            PrinterTarget::parse("file:///tmp/labels", "p").unwrap(),
            PrinterTarget::File {
                dir: "/tmp/labels".into()
            }
        );
        assert!(PrinterTarget::parse("raw://host:99999", "p").is_err());
        assert!(PrinterTarget::parse("cups://bad queue", "p").is_err());
        assert!(PrinterTarget::parse("lpt1", "p").is_err());
        let json = serde_json::to_string(&PrinterTarget::Raw {
            host: "h".into(),
            port: 1,
        })
        .unwrap();
        assert_eq!(json, r#"{"kind":"raw","host":"h","port":1}"#);
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("Label 1Z/../x", DocKind::Zpl),
            "Label_1Z_.._x.zpl"
        );
        assert_eq!(file_name("slip.pdf", DocKind::Pdf), "slip.pdf");
        assert_eq!(file_name("", DocKind::Pdf), "document.pdf");
        assert_eq!(DocKind::sniff(b"%PDF-1.7"), Some(DocKind::Pdf));
        assert_eq!(DocKind::sniff(b"\n^XA^FO"), Some(DocKind::Zpl));
        assert_eq!(DocKind::sniff(b"hello"), None);
    }
}
