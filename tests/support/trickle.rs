//! A hostile local client for gtx's own servers (the Try-It page, the login callback):
//! complete headers, then a body that never arrives in full, one byte a second.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// What became of the connection: how long until the server ended it, and what it said.
pub struct Dropped {
    pub after: Duration,
    pub closed: bool,
    pub answer: String,
}

/// Sends `head` (a request line and headers, without the blank line) with a
/// `Content-Length` far beyond what follows, then trickles the body a byte a second until
/// the server closes the connection or `give_up` passes.
pub fn body(addr: &str, head: &str, give_up: Duration) -> Dropped {
    let mut conn = TcpStream::connect(addr).expect("connect");
    let request = format!("{head}\r\nContent-Length: 100000\r\n\r\n{{");
    conn.write_all(request.as_bytes()).expect("write the head");
    let mut writer = conn.try_clone().expect("clone");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = stop.clone();
    let drip = std::thread::spawn(move || {
        while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_secs(1));
            if writer.write_all(b" ").is_err() {
                break;
            }
        }
    });
    conn.set_read_timeout(Some(give_up)).expect("timeout");
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = loop {
        match conn.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            // A reset is the server ending it too.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
        if started.elapsed() > give_up {
            break false;
        }
    };
    let after = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = conn.shutdown(std::net::Shutdown::Both);
    let _ = drip.join();
    Dropped {
        after,
        closed,
        answer: String::from_utf8_lossy(&answer).into_owned(),
    }
}
