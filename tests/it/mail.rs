//! Customer e-mails against a small SMTP server started by each test: confirmations queued by the
//! dispatcher and sent, outages retried without blocking orders, idempotent queuing, settings.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use orderly::App;
use orderly::app::Clock;
use orderly::app::mail::{MailSettings, MailTls, queue_order_mail};
use orderly::domain::catalog::CustomerDraft;
use orderly::domain::mail::{MailKind, MailStatus, OrderMail};
use orderly::domain::order::{LineRequest, OrderDetail, OrderRequest};
use orderly::error::Error;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::both;
use crate::support::{actor, address, shop};

/// A clock the test moves by hand.
struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    fn new() -> Arc<TestClock> {
        Arc::new(TestClock(Mutex::new(
            Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).unwrap(),
        )))
    }
    fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap();
        *t += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// One message as the server received it.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

impl Received {
    /// The message with quoted-printable soft line breaks and `=XX` escapes of ASCII undone,
    /// enough to search the text.
    fn text(&self) -> String {
        let joined = self.data.replace("=\r\n", "");
        let mut out = String::new();
        let mut rest = joined.as_str();
        while let Some(i) = rest.find('=') {
            out.push_str(&rest[..i]);
            let hex = rest.get(i + 1..i + 3).unwrap_or("");
            match u8::from_str_radix(hex, 16) {
                Ok(b) if b.is_ascii() && hex.len() == 2 => {
                    out.push(b as char);
                    rest = &rest[i + 3..];
                }
                _ => {
                    out.push('=');
                    rest = &rest[i + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// A tiny SMTP server on 127.0.0.1: enough of RFC 5321 for a client without TLS or AUTH.
struct SmtpServer {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpServer {
    async fn start() -> SmtpServer {
        Self::start_on(0).await
    }

    async fn start_on(port: u16) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let store = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, store).await;
                });
            }
        });
        SmtpServer {
            port,
            received,
            task,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 test.local ESMTP ready\r\n").await?;
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 test.local\r\n"
        } else if upper.starts_with("MAIL FROM") {
            rcpt.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO") {
            let addr = line.trim_end()[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned();
            rcpt.push(addr);
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            store.lock().unwrap().push(Received {
                rcpt: std::mem::take(&mut rcpt),
                data,
            });
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// A port nothing listens on.
async fn dead_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    l.local_addr().expect("addr").port()
}

fn settings(port: u16) -> MailSettings {
    MailSettings {
        enabled: true,
        host: "127.0.0.1".into(),
        port: port.into(),
        tls: MailTls::None,
        username: None,
        password: None,
        password_set: false,
        from_address: "shop@example.com".into(),
        from_name: "Corner Shop".into(),
        shop_name: "Corner Shop".into(),
    }
}

fn order_for(email: Option<&str>) -> OrderRequest {
    OrderRequest {
        channel: "WEB".into(),
        customer: Some(CustomerDraft {
            name: "Ada Lovelace".into(),
            email: email.map(Into::into),
            ..Default::default()
        }),
        ship_to: Some(address("Ada Lovelace")),
        lines: vec![LineRequest {
            sku: "A".into(),
            qty: 1,
            unit_price: None,
            discount: None,
        }],
        ..Default::default()
    }
}

async fn setup(url: &str) -> (App, Arc<TestClock>) {
    let clock = TestClock::new();
    let app = shop(url).await.with_clock(clock.clone());
    (app, clock)
}

async fn order(app: &App, email: Option<&str>) -> OrderDetail {
    app.create_order(&actor(), order_for(email))
        .await
        .expect("order")
}

both!(
    a_new_order_is_confirmed_by_mail_once,
    |url: String| async move {
        let (app, _clock) = setup(&url).await;
        let server = SmtpServer::start().await;
        let before = order(&app, Some("old@example.com")).await;
        app.save_mail_settings(settings(server.port))
            .await
            .expect("settings");
        let with = order(&app, Some("Ada@Example.com")).await;
        let without = order(&app, None).await;

        assert_eq!(app.queue_confirmations().await.expect("queue"), 1);
        let rows = app.outbox(None, 50).await.expect("outbox");
        assert_eq!(
            rows.len(),
            1,
            "only the new order with an address: {rows:?}"
        );
        assert_eq!(rows[0].to_address, "ada@example.com");
        assert_eq!(rows[0].kind, MailKind::OrderConfirmation);
        assert_eq!(rows[0].status, MailStatus::Queued);
        assert_eq!(rows[0].order_number.as_deref(), Some(with.number.as_str()));

        let report = app.send_due_mail(10).await.expect("send");
        assert_eq!((report.sent, report.retried, report.failed), (1, 0, 0));
        let got = server.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rcpt, vec!["ada@example.com".to_owned()]);
        let text = got[0].text();
        assert!(
            text.contains(&format!("Subject: Your order {} is confirmed", with.number)),
            "{text}"
        );
        assert!(text.contains(&format!("Thank you for your order {}", with.number)));
        assert!(text.contains("Corner Shop"));

        let row = &app
            .outbox(Some(MailStatus::Sent), 50)
            .await
            .expect("outbox")[0];
        assert_eq!(row.attempts, 1);
        assert!(row.sent_at.is_some());
        let o = app.order(&with.number).await.expect("order");
        let ev = o
            .events
            .iter()
            .find(|e| e.kind == "email_sent")
            .expect("timeline event");
        assert_eq!(ev.actor, "system");
        assert_eq!(
            ev.summary,
            format!(
                "E-mail sent to ada@example.com: Your order {} is confirmed",
                with.number
            )
        );
        for other in [&before, &without] {
            let o = app.order(&other.number).await.expect("order");
            assert!(o.events.iter().all(|e| !e.kind.starts_with("email")));
        }

        // Nothing more to do: no second row, no second message.
        assert_eq!(app.queue_confirmations().await.expect("queue"), 0);
        assert_eq!(app.send_due_mail(10).await.expect("send").sent, 0);
        assert_eq!(server.received().len(), 1);
    }
);

both!(
    a_mail_outage_retries_later_and_never_blocks_orders,
    |url: String| async move {
        let (app, clock) = setup(&url).await;
        let port = dead_port().await;
        app.save_mail_settings(settings(port))
            .await
            .expect("settings");
        let first = order(&app, Some("ada@example.com")).await;
        app.queue_confirmations().await.expect("queue");
        let report = app.send_due_mail(10).await.expect("send");
        assert_eq!((report.sent, report.retried), (0, 1));
        let row = app.outbox(None, 10).await.expect("outbox")[0].clone();
        assert_eq!(row.status, MailStatus::Queued);
        assert_eq!(row.attempts, 1);
        assert!(row.last_error.as_deref().is_some_and(|e| !e.is_empty()));
        assert_eq!(row.next_attempt_at, app.now() + Duration::seconds(30));

        // Orders go on during the outage.
        let second = order(&app, Some("bob@example.com")).await;
        assert!(second.number > first.number);
        // Not due yet: nothing is tried.
        let report = app.send_due_mail(10).await.expect("send");
        assert_eq!(report.sent + report.retried + report.failed, 0);

        // The server comes up on that port; time passes.
        let server = SmtpServer::start_on(port).await;
        clock.advance(Duration::seconds(31));
        app.queue_confirmations().await.expect("queue");
        let report = app.send_due_mail(10).await.expect("send");
        assert_eq!(report.sent, 2);
        clock.advance(Duration::hours(7));
        assert_eq!(app.send_due_mail(10).await.expect("send").sent, 0);
        let got = server.received();
        let to_ada: Vec<_> = got
            .iter()
            .filter(|m| m.rcpt == ["ada@example.com"])
            .collect();
        assert_eq!(to_ada.len(), 1, "sent exactly once");
        assert!(to_ada[0].text().contains(&first.number));
        let row = app
            .outbox(Some(MailStatus::Sent), 10)
            .await
            .expect("outbox")
            .into_iter()
            .find(|r| r.id == row.id)
            .expect("sent row");
        assert_eq!(row.attempts, 2);
        assert_eq!(row.last_error, None);
    }
);

both!(
    ten_failures_give_up_and_say_so_on_the_timeline,
    |url: String| async move {
        let (app, clock) = setup(&url).await;
        app.save_mail_settings(settings(dead_port().await))
            .await
            .expect("settings");
        let o = order(&app, Some("ada@example.com")).await;
        app.queue_confirmations().await.expect("queue");
        let mut last = Default::default();
        for _ in 0..10 {
            last = app.send_due_mail(10).await.expect("send");
            clock.advance(Duration::hours(7));
        }
        assert_eq!((last.retried, last.failed), (0, 1));
        let row = app.outbox(None, 10).await.expect("outbox")[0].clone();
        assert_eq!(row.status, MailStatus::Failed);
        assert_eq!(row.attempts, 10);
        let detail = app.order(&o.number).await.expect("order");
        let ev = detail
            .events
            .iter()
            .find(|e| e.kind == "email_failed")
            .expect("failure on the timeline");
        assert!(
            ev.summary
                .starts_with("E-mail to ada@example.com failed after 10 tries"),
            "{}",
            ev.summary
        );
        assert_eq!(
            app.send_due_mail(10).await.expect("send").failed,
            0,
            "a failed row is not tried again by itself"
        );

        // Retry makes it due now; with the server up it goes.
        let server = SmtpServer::start().await;
        app.save_mail_settings(settings(server.port))
            .await
            .expect("settings");
        let again = app.retry_mail(row.id).await.expect("retry");
        assert_eq!(again.status, MailStatus::Queued);
        assert_eq!(app.send_due_mail(10).await.expect("send").sent, 1);
        assert_eq!(server.received().len(), 1);
        let err = app.retry_mail(row.id).await.expect_err("sent already");
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    }
);

both!(
    queuing_is_idempotent_and_off_when_mail_is_off,
    |url: String| async move {
        let (app, _clock) = setup(&url).await;
        let o = order(&app, Some("ada@example.com")).await;
        let shipped = OrderMail::Shipped {
            carrier: "UPS".into(),
            service: "Ground".into(),
            tracking_number: "1Z999AA10123456784".into(),
            tracking_url: Some("https://www.ups.com/track?tracknum=1Z999AA10123456784".into()),
        };
        let now = app.now();
        let queue = async |key: &str| {
            let mut tx = app.db().begin_write().await.expect("tx");
            let queued = queue_order_mail(&mut tx, &o, &shipped, key, now)
                .await
                .expect("queue");
            tx.commit().await.expect("commit");
            queued
        };
        // Off by default: nothing queued, and confirmations are not queued either.
        assert!(!queue("shipped:1").await);
        assert_eq!(app.queue_confirmations().await.expect("queue"), 0);
        assert!(app.outbox(None, 10).await.expect("outbox").is_empty());

        app.save_mail_settings(settings(dead_port().await))
            .await
            .expect("settings");
        assert!(queue("shipped:1").await);
        assert!(!queue("shipped:1").await, "the same key twice is one row");
        let rows = app.outbox(None, 10).await.expect("outbox");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].kind, MailKind::Shipped);
        assert_eq!(
            rows[0].subject,
            format!("Your order {} has shipped", o.number)
        );
        // The order was taken before e-mail was switched on: no confirmation.
        assert_eq!(app.queue_confirmations().await.expect("queue"), 0);

        // A customer without an address gets nothing.
        let no_mail = order(&app, None).await;
        let mut tx = app.db().begin_write().await.expect("tx");
        assert!(
            !queue_order_mail(&mut tx, &no_mail, &shipped, "shipped:2", now)
                .await
                .expect("queue")
        );
        tx.commit().await.expect("commit");

        // Switched off again: nothing is queued or sent.
        app.save_mail_settings(MailSettings {
            enabled: false,
            ..settings(25)
        })
        .await
        .expect("off");
        assert!(!queue("shipped:3").await);
        assert_eq!(app.send_due_mail(10).await.expect("send").retried, 0);
        assert_eq!(app.outbox(None, 10).await.expect("outbox").len(), 1);
    }
);

both!(
    settings_are_checked_and_the_password_never_comes_back,
    |url: String| async move {
        let (app, _clock) = setup(&url).await;
        let defaults = app.mail_settings().await.expect("settings");
        assert!(!defaults.enabled);
        assert!(!defaults.password_set);
        let field = |e: Error| match e {
            Error::Invalid { field, .. } => field,
            other => panic!("expected a field error, got {other:?}"),
        };
        for (bad, expected) in [
            (
                MailSettings {
                    port: 0,
                    ..settings(25)
                },
                "mail.port",
            ),
            (
                MailSettings {
                    port: 70000,
                    ..settings(25)
                },
                "mail.port",
            ),
            (
                MailSettings {
                    host: " ".into(),
                    ..settings(25)
                },
                "mail.host",
            ),
            (
                MailSettings {
                    host: "smtp example.com".into(),
                    ..settings(25)
                },
                "mail.host",
            ),
            (
                MailSettings {
                    from_address: "shop".into(),
                    ..settings(25)
                },
                "mail.fromAddress",
            ),
            (
                MailSettings {
                    shop_name: "a\nb".into(),
                    ..settings(25)
                },
                "mail.shopName",
            ),
        ] {
            let err = app.save_mail_settings(bad).await.expect_err("invalid");
            assert_eq!(field(err), expected);
        }
        assert_eq!(
            app.mail_settings().await.expect("settings"),
            defaults,
            "bad input changes nothing"
        );

        let saved = app
            .save_mail_settings(MailSettings {
                tls: MailTls::Starttls,
                username: Some("shop".into()),
                password: Some("s3cret".into()),
                ..settings(587)
            })
            .await
            .expect("save");
        assert_eq!(saved.password, None);
        assert!(saved.password_set);
        assert_eq!(saved.username.as_deref(), Some("shop"));
        let json = serde_json::to_string(&saved).expect("json");
        assert!(!json.contains("s3cret"), "{json}");
        // Saving without a password keeps it; an empty one removes it.
        let kept = app
            .save_mail_settings(MailSettings {
                password: None,
                ..saved.clone()
            })
            .await
            .expect("save");
        assert!(kept.password_set);
        let cleared = app
            .save_mail_settings(MailSettings {
                password: Some(String::new()),
                ..saved
            })
            .await
            .expect("save");
        assert!(!cleared.password_set);
    }
);

both!(test_mail_says_what_happened, |url: String| async move {
    let (app, _clock) = setup(&url).await;
    let server = SmtpServer::start().await;
    app.save_mail_settings(MailSettings {
        enabled: false,
        ..settings(server.port)
    })
    .await
    .expect("settings");
    let ok = app
        .send_test_mail("me@example.com")
        .await
        .expect("test mail");
    assert!(ok.ok, "{}", ok.message);
    assert_eq!(server.received().len(), 1);
    assert!(
        server.received()[0]
            .text()
            .contains("Test e-mail from Corner Shop")
    );

    app.save_mail_settings(settings(dead_port().await))
        .await
        .expect("settings");
    let bad = app
        .send_test_mail("me@example.com")
        .await
        .expect("test mail");
    assert!(!bad.ok);
    assert!(bad.message.contains("was not sent"), "{}", bad.message);
    let rows = app.outbox(None, 10).await.expect("outbox");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.kind == MailKind::Test));
    assert!(
        app.send_test_mail("not an address").await.is_err(),
        "a bad address is refused before anything is sent"
    );
});
