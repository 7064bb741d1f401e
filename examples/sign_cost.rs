//! What one signature costs gtx's key types, in CPU time of this thread (so a busy machine
//! inflates it far less than wall-clock time): the figures behind docs/benchmarks.md
//! "Signed client authentication and DPoP". Run from scripts/bench.sh, or
//! `cargo run --release --example sign_cost [ITERATIONS]`.
//! The signing calls are ring's, exactly as src/oauth/key.rs makes them.

use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;

fn thread_cpu_ns() -> u128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid pointer to a timespec this frame owns.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as u128 * 1_000_000_000 + ts.tv_nsec as u128
}

/// Median of `rounds` rounds of `n` calls, in microseconds per call.
fn per_call_us<T>(n: u32, mut f: impl FnMut() -> T) -> f64 {
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = thread_cpu_ns();
            for _ in 0..n {
                std::hint::black_box(f());
            }
            (thread_cpu_ns() - start) as f64 / f64::from(n) / 1000.0
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

fn pkcs8(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    match PrivateKeyDer::from_pem_file(&path) {
        Ok(PrivateKeyDer::Pkcs8(k)) => k.secret_pkcs8_der().to_vec(),
        other => panic!("{path}: not a PKCS#8 key ({other:?})"),
    }
}

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let rng = SystemRandom::new();
    // The size of a client assertion's signing input.
    let input = [b'x'; 400];
    let (rsa, ec, ed) = (pkcs8("rsa.pem"), pkcs8("ec.pem"), pkcs8("ed25519.pem"));

    let rsa_key = RsaKeyPair::from_pkcs8(&rsa).expect("rsa.pem");
    let ec_key = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &ec, &rng)
        .expect("ec.pem");
    let ed_key = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&ed).expect("ed25519.pem");
    let mut rsa_sig = vec![0; rsa_key.public().modulus_len()];

    println!("| operation (ring, CPU time of one thread) | µs per call |");
    println!("| --- | ---: |");
    let rows: [(&str, f64); 7] = [
        (
            "ES256 sign",
            per_call_us(n, || ec_key.sign(&rng, &input).expect("sign")),
        ),
        ("EdDSA sign", per_call_us(n, || ed_key.sign(&input))),
        (
            "RS256 sign (RSA-2048)",
            per_call_us(n / 4 + 1, || {
                rsa_key
                    .sign(&signature::RSA_PKCS1_SHA256, &rng, &input, &mut rsa_sig)
                    .expect("sign")
            }),
        ),
        (
            "PS256 sign (RSA-2048)",
            per_call_us(n / 4 + 1, || {
                rsa_key
                    .sign(&signature::RSA_PSS_SHA256, &rng, &input, &mut rsa_sig)
                    .expect("sign")
            }),
        ),
        (
            "P-256 key generation (a DPoP key)",
            per_call_us(n, || {
                EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            }),
        ),
        (
            "EC P-256 key parse",
            per_call_us(n, || {
                EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &ec, &rng)
            }),
        ),
        (
            "RSA-2048 key parse",
            per_call_us(n / 4 + 1, || RsaKeyPair::from_pkcs8(&rsa)),
        ),
    ];
    for (name, us) in rows {
        println!("| {name} | {us:.0} |");
    }
}
