//! A TCP listener on 127.0.0.1, for the sign-in callback and the Try-It page: nothing gtx
//! serves is reachable from another machine.

use crate::error::{AppError, Result};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};

/// Binds 127.0.0.1:`port` (`None`: any free port) and says which port it got. A fixed
/// port that cannot be had is the caller's error, `taken`, which knows why it was fixed.
pub fn loopback(
    port: Option<u16>,
    taken: impl FnOnce(u16, std::io::Error) -> AppError,
) -> Result<(TcpListener, u16)> {
    let socket = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port.unwrap_or(0)))
        .map_err(|e| match port {
            Some(p) => taken(p, e),
            None => AppError::bug(format!("cannot listen on a loopback port: {e}")),
        })?;
    let port = socket
        .local_addr()
        .map_err(|e| AppError::bug(format!("cannot read the listener's port: {e}")))?
        .port();
    Ok((socket, port))
}
