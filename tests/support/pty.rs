//! Running gtx with stdin and stderr on a pseudo-terminal (stdout stays a pipe), for the
//! behaviour that only a person at a terminal sees: questions and spinners.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct PtyOutput {
    pub code: Option<i32>,
    pub stdout: String,
    /// Everything the terminal showed: stderr plus the echo of what was typed.
    pub terminal: String,
}

/// Spawns `cmd` with a terminal on stdin and stderr, types `input`, and waits (30 s at most).
pub fn run(mut cmd: Command, input: &[u8]) -> PtyOutput {
    let (mut master, slave) = open_pty();
    let slave_err = slave.try_clone().expect("dup slave");
    cmd.stdin(Stdio::from(slave))
        .stderr(Stdio::from(slave_err))
        .stdout(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn under a pty");
    drop(cmd); // our copies of the slave side must close, or reading never ends
    let mut reader = master.try_clone().expect("dup master");
    let screen = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        // EIO once the last slave descriptor is closed: the child is gone.
        while let Ok(n) = reader.read(&mut chunk) {
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        buf
    });
    master.write_all(input).expect("type into the pty");
    let mut stdout = child.stdout.take().expect("stdout pipe");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("command under the pty did not finish in 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(master);
    let terminal = String::from_utf8_lossy(&screen.join().expect("reader")).into_owned();
    PtyOutput {
        code: status.code(),
        stdout: out.join().expect("stdout reader"),
        terminal,
    }
}

fn open_pty() -> (std::fs::File, OwnedFd) {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    // SAFETY: openpty writes two descriptors we then own; no name, default termios and size.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty failed");
    // SAFETY: both descriptors are fresh from openpty and owned by nobody else.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    }
}
