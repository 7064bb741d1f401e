//! Links the unwinder statically on Linux with glibc (as `gcc -static-libgcc` does), so
//! gtx does not load libgcc_s.so.1 at start-up: that library's constructor probes the CPU
//! with `cpuid`, and loading it was about a twentieth of a cached `gtx token get`.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-lib=static:-bundle=gcc_eh");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
