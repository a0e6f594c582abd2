//! An acknowledged event is never lost: the real binary is killed with
//! SIGKILL right after it acknowledged a batch, started again on the same
//! data folder, and every acknowledged event is there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
};

use serde_json::{Value, json};

/// Starts `servicenorm serve` on a free port and returns it with its address.
fn serve(data: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_servicenorm"))
        .args(["serve", "--address", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve stopped before it listened")
            .unwrap();
        if let Some(at) = line.find("address=") {
            break line[at + "address=".len()..].trim().to_string();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

fn token(data: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_servicenorm"))
        .args([
            "token",
            "create",
            "--scope",
            "write",
            "--name",
            "telefonie",
            "--data",
        ])
        .arg(data)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

fn batch(n: usize) -> Value {
    // The shipped Heemskerk catalog: a callback asked for in a phone call.
    let events: Vec<Value> = (0..100)
        .map(|i| {
            json!({
                "id": format!("b{n}-e{i}"),
                "case": format!("b{n}-z{i}"),
                "type": "callback_requested",
                "at": "2026-04-02T10:00:00+02:00",
                "case_type": "telefoongesprek",
            })
        })
        .collect();
    Value::Array(events)
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_events_survive_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = token(&data);
    let (mut server, address) = serve(&data);
    // reqwest comes without a crypto provider here (the service's probes
    // bring ring): a client in this process needs it installed first.
    servicenorm_server::install_crypto_provider();
    let client = reqwest::Client::new();
    let mut acknowledged = 0;
    for n in 0..10 {
        let response = client
            .post(format!("http://{address}/api/v1/events"))
            .bearer_auth(&token)
            .json(&batch(n))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(status.is_success(), "{body}");
        acknowledged += body["stored"].as_u64().unwrap();
    }
    // SIGKILL: no shutdown, no flush.
    server.kill().unwrap();
    server.wait().unwrap();

    let (mut server, _) = serve(&data);
    let url = format!("sqlite:{}", data.join("servicenorm.db").display());
    let store = servicenorm_storage::Store::connect(&url).await.unwrap();
    assert_eq!(store.event_count().await.unwrap(), acknowledged as i64);
    assert_eq!(acknowledged, 1000);
    store.close().await;
    server.kill().unwrap();
    server.wait().unwrap();
}
