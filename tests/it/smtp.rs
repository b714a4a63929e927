//! A real SMTP server for the tests: `tests/fixtures/smtp_sink.py` (aiosmtpd) in a child process,
//! writing each message it receives as JSON; the app's `lettre` transport speaks SMTP to it.
//! Stopping and starting it again on the same port plays a mail server that is down.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A received message, decoded by Python's `email` package.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    pub to: Vec<String>,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

pub struct Sink {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

const PYTHON: &str = "/usr/bin/python3";

impl Sink {
    /// A sink on a free port (not started when `running` is false: the server is down).
    pub fn new(running: bool) -> Sink {
        let dir = std::env::temp_dir().join(format!("nastavnik-smtp-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("sink dir");
        let mut s = Sink {
            port: free_port(),
            dir,
            child: None,
        };
        if running {
            s.start();
        }
        s
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn start(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smtp_sink.py");
        let child = Command::new(PYTHON)
            .arg(script)
            .arg(self.port.to_string())
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3-aiosmtpd (apt-get install python3-aiosmtpd)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the SMTP sink did not start (python3-aiosmtpd?)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Every message received so far.
    pub fn received(&self) -> Vec<Received> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(&self.dir).expect("sink dir").flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&p).expect("a message");
                out.push(serde_json::from_str(&text).expect("JSON"));
            }
        }
        out
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
