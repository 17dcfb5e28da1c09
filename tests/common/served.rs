//! A running `casebook serve` for tests: started on a knowledge base, polled, stopped when
//! dropped.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::http::{request, HttpResponse};
use super::Kb;

/// Generous: a guard so a broken server fails the test instead of hanging it, not a timing check.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running `casebook serve`, stopped when dropped.
pub struct Served {
    /// The server process.
    pub child: Child,
    /// The address it listens on.
    pub address: SocketAddr,
    /// What it prints to stderr, line by line.
    pub stderr_lines: std::sync::mpsc::Receiver<String>,
}

impl Served {
    /// `casebook serve` on `kb` at `port` (0: any free port).
    pub fn start(kb: &Kb, port: u16) -> Served {
        Served::start_with(kb, port, &[])
    }

    /// `casebook serve` with `options` besides the port and root.
    pub fn start_with(kb: &Kb, port: u16, options: &[&str]) -> Served {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("casebook"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(kb.root())
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("casebook serve starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("serve prints its address");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let address: SocketAddr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        let (sender, stderr_lines) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Served {
            child,
            address,
            stderr_lines,
        }
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> HttpResponse {
        request(self.address, "GET", path)
    }

    /// Polls `path` until `test` accepts the response.
    pub fn wait_for(
        &self,
        path: &str,
        what: &str,
        test: impl Fn(&HttpResponse) -> bool,
    ) -> HttpResponse {
        let started = Instant::now();
        loop {
            let response = self.get(path);
            if test(&response) {
                return response;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{path} never showed {what}; last:\n{}",
                response.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What serve prints to stderr from now until `enough` accepts it (or patience ends).
    pub fn stderr_until(&self, enough: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let mut said = String::new();
        while !enough(&said) && started.elapsed() < PATIENCE {
            for line in self.stderr_lines.try_iter() {
                said.push('\n');
                said.push_str(&line);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        said
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
