//! A real SMTP server on loopback for the tests: the protocol is the
//! `mailin` crate's; this file only moves its lines over TCP, keeps what
//! arrives, and can refuse the next messages on purpose (451, try later).
#![allow(dead_code, clippy::unwrap_used)]

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use mailin::{Action, Handler, Response, SessionBuilder, response};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, as sent.
    pub data: String,
}

impl Received {
    /// The value of a header (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }

    /// The body, decoded from quoted-printable where the message says so.
    pub fn text(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let encoding = self.header("Content-Transfer-Encoding").unwrap_or_default();
        assert!(
            !encoding.eq_ignore_ascii_case("base64"),
            "the test reads plain and quoted-printable bodies only"
        );
        let body = if encoding.eq_ignore_ascii_case("quoted-printable") {
            quoted_printable(body)
        } else {
            body.to_string()
        };
        body.replace("\r\n", "\n")
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[derive(Clone)]
pub struct SmtpServer {
    pub address: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Collect {
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collect {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        let refused = self
            .refuse
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if refused {
            return Response::custom(451, "4.3.0 Probeer het later opnieuw".to_string());
        }
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.received.lock().unwrap().push(Received {
            from: self.from.clone(),
            to: self.to.clone(),
            data: String::from_utf8_lossy(&self.data).into_owned(),
        });
        response::OK
    }
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = SmtpServer {
            address: listener.local_addr().unwrap(),
            received: Arc::default(),
            refuse: Arc::default(),
        };
        let handler = Collect {
            received: server.received.clone(),
            refuse: server.refuse.clone(),
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
        };
        tokio::spawn(async move {
            while let Ok((stream, peer)) = listener.accept().await {
                let handler = handler.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut session = SessionBuilder::new("smtp.test").build(peer.ip(), handler);
                    let mut out = Vec::new();
                    session.greeting().write_to(&mut out).unwrap();
                    write.write_all(&out).await.unwrap();
                    let mut lines = BufReader::new(read);
                    let mut line = Vec::new();
                    loop {
                        line.clear();
                        if lines.read_until(b'\n', &mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let reply = session.process(&line);
                        out.clear();
                        reply.write_to(&mut out).unwrap();
                        if write.write_all(&out).await.is_err() || reply.action == Action::Close {
                            return;
                        }
                    }
                });
            }
        });
        server
    }

    /// Refuses the next `n` messages with 451.
    pub fn refuse_next(&self, n: usize) {
        self.refuse.store(n, Ordering::SeqCst);
    }

    /// Waits until every refusal asked for was given.
    pub async fn wait_for_refusals(&self) {
        for _ in 0..500 {
            if self.refuse.load(Ordering::SeqCst) == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the mail server was never tried");
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.address)
    }
}
