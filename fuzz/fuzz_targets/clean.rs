//! Arbitrary bytes as text, under an arbitrary builder configuration: every
//! property of `tests/support/check.rs` (`check`, then the paragraph
//! property `check_split`), not only "no panic".
//!
//! Input layout: the first bytes choose the configuration (a bit per
//! layer of `zhfix::Layer::ALL`, per option and per lexicon family, two
//! for the evidence level: see `tests/support/config.rs`); the rest is the
//! text, invalid UTF-8 replaced by U+FFFD. A failure panics with the case written as a
//! `tests/data/regression.toml` entry.
#![no_main]

use std::collections::HashMap;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use zhfix::Fixer;

#[allow(dead_code)]
#[path = "../../tests/support/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "../../tests/support/config.rs"]
mod config;

use config::Config;

/// Fixers built so far, by configuration; at most [`CACHED`] of them.
static FIXERS: Mutex<Option<HashMap<u64, Fixer>>> = Mutex::new(None);
const CACHED: usize = 1024;

fuzz_target!(|data: &[u8]| {
    let Some((cfg, rest)) = Config::from_prefix(data) else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let fixer = {
        let mut cache = FIXERS.lock().unwrap();
        let cache = cache.get_or_insert_with(HashMap::new);
        match cache.get(&cfg.0) {
            Some(f) => f.clone(),
            None => {
                let f = cfg.fixer();
                if cache.len() < CACHED {
                    cache.insert(cfg.0, f.clone());
                }
                f
            }
        }
    };
    let result = check::check(&fixer, &text).and_then(|()| check::check_split(&fixer, &text));
    if let Err(msg) = result {
        panic!(
            "{msg}\n\n[[case]]\nname = \"fuzz-…\"\ninput = {}\n{}\ncomment = \"found by fuzz/clean\"\n",
            check::toml_string(&text),
            cfg.describe()
        );
    }
});
