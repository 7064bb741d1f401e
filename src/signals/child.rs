//! `gtx exec`'s child: from the moment it is about to start, SIGINT, SIGTERM, SIGHUP and
//! SIGQUIT no longer end gtx but go to the child, and gtx ends when it does (its exit
//! status is the child's). The child starts with default handlers, or ignores what the caller ignored.

/// The forwarding of one `gtx exec`, in its three steps.
pub struct Forwarding(());

impl Forwarding {
    /// Before any network wait (whose Ctrl-C handling changes SIGINT): notes what the
    /// caller ignores.
    pub fn prepare() -> Forwarding {
        #[cfg(unix)]
        super::ignored_by_caller(libc::SIGINT);
        Forwarding(())
    }

    /// Just before the child is spawned.
    pub fn start(&self) {
        #[cfg(unix)]
        {
            super::restore_file_size_signal();
            unix::forward_from_now();
        }
    }

    /// Once the child is running: a signal that came in between goes to it now.
    pub fn child(&self, pid: u32) {
        #[cfg(unix)]
        unix::set_child(pid);
        #[cfg(not(unix))]
        let _ = pid;
    }
}

#[cfg(unix)]
mod unix {
    use std::sync::atomic::{AtomicI32, Ordering};

    static CHILD: AtomicI32 = AtomicI32::new(0);
    /// A signal that arrived between spawning the child and learning its pid.
    static PENDING: AtomicI32 = AtomicI32::new(0);

    extern "C" fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // A terminal's Ctrl-C (sent by the kernel, si_code > 0) reaches the child directly,
        // being in the same process group: forward only what `kill` sent to gtx alone.
        // SAFETY: the kernel passes a valid siginfo_t with SA_SIGINFO.
        let from_kernel = !info.is_null() && unsafe { (*info).si_code } > 0;
        if from_kernel {
            return;
        }
        let pid = CHILD.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill(2) is async-signal-safe.
            unsafe {
                libc::kill(pid, sig);
            }
        } else {
            PENDING.store(sig, Ordering::SeqCst);
        }
    }

    /// What a person or a supervisor sends to stop or reload a program: sent to gtx
    /// alone, each would otherwise end gtx and leave the command running, orphaned.
    const FORWARDED: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    pub fn forward_from_now() {
        for sig in FORWARDED {
            if super::super::ignored_by_caller(sig) {
                // SAFETY: setting a disposition to SIG_IGN has no preconditions.
                unsafe {
                    libc::signal(sig, libc::SIG_IGN);
                }
                continue;
            }
            // SAFETY: installs a handler that only reads an atomic and calls kill(2).
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = forward as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_RESTART | libc::SA_SIGINFO;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(sig, &action, std::ptr::null_mut());
            }
        }
    }

    pub fn set_child(pid: u32) {
        let pid = i32::try_from(pid).unwrap_or(0);
        CHILD.store(pid, Ordering::SeqCst);
        let sig = PENDING.swap(0, Ordering::SeqCst);
        if sig != 0 && pid > 0 {
            // SAFETY: signalling our own child.
            unsafe {
                libc::kill(pid, sig);
            }
        }
    }
}
