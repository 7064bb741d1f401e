//! Start-up costs of the `gtx` executable on Linux with glibc, which a cached `gtx token get`
//! pays on every run (docs/benchmarks.md, "What a cached token get no longer pays for"):
//! - the unwinder is linked statically (as `gcc -static-libgcc` does), so gtx does not load
//!   libgcc_s.so.1, whose constructor probes the CPU with `cpuid`;
//! - the executable is linked at a fixed address (`-no-pie`), so the loader applies no
//!   relocations to it and writes none of its pages; docs/security.md ("The executable")
//!   weighs this. `GTX_BUILD_PIE=1` at build time keeps a position-independent executable.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let pie = std::env::var("GTX_BUILD_PIE").is_ok_and(|v| !v.is_empty() && v != "0");
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-lib=static:-bundle=gcc_eh");
        if !pie {
            println!("cargo:rustc-link-arg-bin=gtx=-no-pie");
        }
    }
    // What was decided, for the test that checks the linker did it (tests/token.rs).
    let fixed = os == "linux" && env == "gnu" && !pie;
    println!(
        "cargo:rustc-env=GTX_EXECUTABLE_FIXED_ADDRESS={}",
        u8::from(fixed)
    );
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=GTX_BUILD_PIE");
}
