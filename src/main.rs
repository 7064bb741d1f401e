//! The `gtx` executable.
//!
//! A cached `gtx token get` is on the hot path of every script, so on Linux with glibc the
//! process skips two start-up costs that it never needs (measured side by side with
//! `scripts/bench.sh`; together about a sixth of a cached `token get`):
//! - std's own entry point, which reads `/proc/self/maps` and sets up an alternate signal
//!   stack to report stack overflows by name: gtx starts at a C `main` and does the part of
//!   that set-up it relies on itself (standard descriptors here, SIGPIPE in the library's
//!   `signals`);
//! - loading `libm.so.6` for the two functions of it in the binary (`pow`, in indicatif's
//!   rate estimate, and `log2`, in the JSON Schema validator's number checks): pure-Rust
//!   ones are linked instead.
#![cfg_attr(all(target_os = "linux", target_env = "gnu"), no_main)]

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod start {
    use std::ffi::{c_char, c_int};

    #[unsafe(no_mangle)]
    extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
        // std reads the arguments itself on glibc (from .init_array), so env::args works.
        standard_descriptors();
        // SIGPIPE, which std's entry point ignores, is ignored by `run_code` itself.
        let code = gtx::run_code();
        // exit, unlike returning from a C main, flushes std's buffered stdout.
        std::process::exit(c_int::from(code))
    }

    /// A descriptor 0, 1 or 2 that is closed would be reused by the next file gtx opens, and
    /// output meant for the terminal would land in the credentials file: point it at
    /// /dev/null, as std's entry point does.
    fn standard_descriptors() {
        for fd in 0..3 {
            // SAFETY: F_GETFD only inspects the descriptor table.
            let closed = unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1
                && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
            // SAFETY: a NUL-terminated path; open takes the lowest free descriptor, `fd`.
            if closed && unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) } != fd {
                std::process::abort();
            }
        }
    }

    /// The C library's `pow`, so that the binary does not need libm.so.6 for it.
    #[unsafe(no_mangle)]
    extern "C" fn pow(x: f64, y: f64) -> f64 {
        libm::pow(x, y)
    }

    /// The C library's `log2` (the JSON Schema validator's), likewise.
    #[unsafe(no_mangle)]
    extern "C" fn log2(x: f64) -> f64 {
        libm::log2(x)
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn main() -> std::process::ExitCode {
    gtx::run()
}
