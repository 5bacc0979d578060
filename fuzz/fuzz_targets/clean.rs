//! Arbitrary bytes as text, under an arbitrary builder configuration: every
//! property of `tests/support/check.rs` (`check`, then the paragraph
//! property `check_split`), not only "no panic".
//!
//! Input layout: the first bytes choose the configuration (one bit per
//! layer of `zhfix::Layer::ALL` and per option of `KNOBS`, see
//! `tests/support/config.rs`); the rest is the text, invalid UTF-8 replaced
//! by U+FFFD. A failure panics with the case written as a
//! `tests/data/regression.toml` entry.
#![no_main]

use std::sync::{LazyLock, OnceLock};

use libfuzzer_sys::fuzz_target;
use zhfix::{Fixer, Layer};

#[allow(dead_code)]
#[path = "../../tests/support/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "../../tests/support/config.rs"]
mod config;

use config::{Config, KNOBS};

const BITS: usize = Layer::ALL.len() + KNOBS.len();

/// One fixer per configuration, built on first use.
static FIXERS: LazyLock<Vec<OnceLock<Fixer>>> =
    LazyLock::new(|| (0..1usize << BITS).map(|_| OnceLock::new()).collect());

fuzz_target!(|data: &[u8]| {
    let n = BITS.div_ceil(8);
    if data.len() < n {
        return;
    }
    let mut bits = 0u64;
    for (k, &b) in data[..n].iter().enumerate() {
        bits |= u64::from(b) << (8 * k);
    }
    let cfg = Config(bits & ((1 << BITS) - 1));
    let text = String::from_utf8_lossy(&data[n..]);
    let fixer = FIXERS[cfg.0 as usize].get_or_init(|| cfg.fixer());
    let result = check::check(fixer, &text).and_then(|()| check::check_split(fixer, &text));
    if let Err(msg) = result {
        panic!(
            "{msg}\n\n[[case]]\nname = \"fuzz-…\"\ninput = {}\n{}\ncomment = \"found by fuzz/clean\"\n",
            check::toml_string(&text),
            cfg.describe()
        );
    }
});
