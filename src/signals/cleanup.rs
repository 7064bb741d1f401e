//! SIGTERM (`timeout`, a cancelled CI job, `kill`) and SIGHUP (a closed terminal) end gtx
//! without unwinding, so the temporary file of an `-o FILE` download would stay behind
//! (a partial body, possibly gigabytes, that nothing cleans up). While an
//! [`UnlinkOnSignal`] lives, those signals first unlink that file, then end gtx as they
//! would have (died of the signal). A signal the caller ignores stays ignored.

#[cfg(unix)]
pub use unix::UnlinkOnSignal;

#[cfg(not(unix))]
pub struct UnlinkOnSignal;

#[cfg(not(unix))]
impl UnlinkOnSignal {
    pub fn new(_tmp: &std::path::Path) -> UnlinkOnSignal {
        UnlinkOnSignal
    }
}

#[cfg(unix)]
mod unix {
    use std::ffi::{CString, c_char, c_int};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::null_mut;
    use std::sync::atomic::{AtomicPtr, Ordering};

    const SIGNALS: [c_int; 2] = [libc::SIGTERM, libc::SIGHUP];

    /// The temp file to unlink; whoever swaps it out (the handler or `Drop`) owns it.
    static TEMP: AtomicPtr<c_char> = AtomicPtr::new(null_mut());

    extern "C" fn unlink_then_die(sig: c_int) {
        let path = TEMP.swap(null_mut(), Ordering::SeqCst);
        // SAFETY: unlink, signal and raise are async-signal-safe; `path` is a valid C
        // string nobody frees once swapped out here. The signal is blocked while this
        // handler runs, so the raised one ends the process as soon as it returns.
        unsafe {
            if !path.is_null() {
                libc::unlink(path);
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    pub struct UnlinkOnSignal {
        /// The dispositions replaced, put back on drop.
        replaced: Vec<(c_int, libc::sigaction)>,
    }

    impl UnlinkOnSignal {
        pub fn new(tmp: &Path) -> UnlinkOnSignal {
            let Ok(path) = CString::new(tmp.as_os_str().as_bytes()) else {
                return UnlinkOnSignal { replaced: vec![] };
            };
            let old = TEMP.swap(path.into_raw(), Ordering::SeqCst);
            free(old);
            let mut replaced = Vec::new();
            for sig in SIGNALS {
                if super::super::ignored_by_caller(sig) {
                    continue;
                }
                // SAFETY: reads the current disposition, then installs a handler that only
                // calls async-signal-safe functions.
                unsafe {
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(sig, std::ptr::null(), &mut old) != 0 {
                        continue;
                    }
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = unlink_then_die as *const () as libc::sighandler_t;
                    libc::sigemptyset(&mut action.sa_mask);
                    if libc::sigaction(sig, &action, std::ptr::null_mut()) == 0 {
                        replaced.push((sig, old));
                    }
                }
            }
            UnlinkOnSignal { replaced }
        }
    }

    impl Drop for UnlinkOnSignal {
        fn drop(&mut self) {
            for (sig, old) in &self.replaced {
                // SAFETY: puts back the disposition read in `new`.
                unsafe {
                    libc::sigaction(*sig, old, std::ptr::null_mut());
                }
            }
            free(TEMP.swap(null_mut(), Ordering::SeqCst));
        }
    }

    fn free(path: *mut c_char) {
        if !path.is_null() {
            // SAFETY: every non-null pointer in TEMP came from `CString::into_raw`, and
            // the swap that returned it made this the only owner.
            drop(unsafe { CString::from_raw(path) });
        }
    }
}
