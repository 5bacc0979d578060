//! Every builder configuration, as bits: one bit per layer of
//! [`Layer::ALL`] (whether it runs), one per option of [`KNOBS`], one per
//! tool family of the lexicon ([`families`], read from
//! `data/lexicon/pairs.tsv`) and two for the [`Evidence`] level. The
//! property tests (`tests/properties.rs`) and the fuzz targets (`fuzz/`,
//! which include this file with `#[path]`) draw configurations from here, so
//! a new layer is covered as soon as it joins `Layer::ALL`, and a new
//! builder option as soon as it joins `KNOBS` (the test
//! `every_builder_option_is_covered` fails until it does).

use std::sync::LazyLock;

use zhfix::{Evidence, Fixer, FixerBuilder, Layer};

/// A boolean option of [`FixerBuilder`] other than the layer switches.
pub struct Knob {
    /// The name, as `tests/data/*.toml` configs and the example program's
    /// `--no-NAME` spell it.
    pub name: &'static str,
    /// The setter.
    pub set: fn(&mut FixerBuilder, bool) -> &mut FixerBuilder,
    /// The documented default.
    pub default: bool,
}

/// Every boolean option of the builder besides the layer switches.
pub const KNOBS: &[Knob] = &[
    Knob {
        name: "spacing",
        set: FixerBuilder::spacing,
        default: true,
    },
    Knob {
        name: "fullwidth",
        set: FixerBuilder::fullwidth,
        default: true,
    },
];

/// The evidence levels of the lexicon layer, with their names in
/// `config` lines; the default is [`Evidence::Default`].
pub const EVIDENCE: [(Evidence, &str); 4] = [
    (Evidence::Default, "default"),
    (Evidence::SelfEvident, "self-evident"),
    (Evidence::Strict, "strict"),
    (Evidence::Lenient, "lenient"),
];

/// The tool families of the lexicon, in the order they first appear in the
/// third column of `data/lexicon/pairs.tsv` (every family is on by
/// default).
pub fn families() -> &'static [String] {
    static FAMILIES: LazyLock<Vec<String>> = LazyLock::new(|| {
        let mut names: Vec<String> = Vec::new();
        let table = include_str!("../../data/lexicon/pairs.tsv");
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let field = line.split('\t').nth(2).unwrap_or_default();
            for name in field.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
        }
        names
    });
    &FAMILIES
}

/// How many bits a configuration uses.
pub fn bits() -> usize {
    Layer::ALL.len() + KNOBS.len() + families().len() + 2
}

/// One configuration: bit `i` switches `Layer::ALL[i]`, bit
/// `Layer::ALL.len() + k` sets `KNOBS[k]`, the next bits switch the
/// families, and the last two choose the evidence level (`EVIDENCE`, 0 the
/// default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config(pub u64);

impl Config {
    /// A configuration from the first bytes of `data` (little-endian, as many
    /// bytes as [`bits`] needs, extra bits ignored) and the bytes after them;
    /// `None` when `data` is shorter. The fuzz targets read their input so.
    pub fn from_prefix(data: &[u8]) -> Option<(Config, &[u8])> {
        let bits = bits();
        let n = bits.div_ceil(8);
        if data.len() < n {
            return None;
        }
        let mut raw = 0u64;
        for (k, &b) in data[..n].iter().enumerate() {
            raw |= u64::from(b) << (8 * k);
        }
        Some((Config(raw & ((1 << bits) - 1)), &data[n..]))
    }

    /// The default configuration, as bits.
    pub fn default_bits() -> Config {
        let fixer = Fixer::default();
        let mut bits = 0u64;
        for (i, layer) in Layer::ALL.into_iter().enumerate() {
            bits |= u64::from(fixer.is_enabled(layer)) << i;
        }
        for (k, knob) in KNOBS.iter().enumerate() {
            bits |= u64::from(knob.default) << (Layer::ALL.len() + k);
        }
        for k in 0..families().len() {
            bits |= 1 << (Layer::ALL.len() + KNOBS.len() + k);
        }
        Config(bits)
    }

    /// The bits that choose the evidence level's index in `EVIDENCE`.
    fn evidence(self) -> usize {
        let at = Layer::ALL.len() + KNOBS.len() + families().len();
        (self.0 >> at & 3) as usize
    }

    /// Whether bit `i` is set.
    fn bit(self, i: usize) -> bool {
        self.0 >> (i % 64) & 1 == 1
    }

    /// The builder with these settings.
    pub fn builder(self) -> FixerBuilder {
        let mut b = Fixer::builder();
        for (i, layer) in Layer::ALL.into_iter().enumerate() {
            b.layer(layer, self.bit(i));
        }
        for (k, knob) in KNOBS.iter().enumerate() {
            (knob.set)(&mut b, self.bit(Layer::ALL.len() + k));
        }
        for (k, name) in families().iter().enumerate() {
            if !self.bit(Layer::ALL.len() + KNOBS.len() + k) {
                b.family(name, false);
            }
        }
        b.evidence(EVIDENCE[self.evidence()].0);
        b
    }

    /// The fixer with these settings.
    pub fn fixer(self) -> Fixer {
        self.builder()
            .build()
            .unwrap_or_else(|e| panic!("configuration {} does not build: {e}", self.describe()))
    }

    /// The settings as a `config = […]` line of `tests/data/*.toml`, so a
    /// failure can be pasted as a regression case.
    pub fn describe(self) -> String {
        let onoff = |b: bool| if b { "on" } else { "off" };
        let mut parts: Vec<String> = Layer::ALL
            .into_iter()
            .enumerate()
            .map(|(i, l)| format!("\"{l}={}\"", onoff(self.bit(i))))
            .collect();
        for (k, knob) in KNOBS.iter().enumerate() {
            let on = self.bit(Layer::ALL.len() + k);
            parts.push(format!("\"{}={}\"", knob.name, onoff(on)));
        }
        for (k, name) in families().iter().enumerate() {
            if !self.bit(Layer::ALL.len() + KNOBS.len() + k) {
                parts.push(format!("\"family:{name}=off\""));
            }
        }
        if self.evidence() != 0 {
            parts.push(format!("\"evidence={}\"", EVIDENCE[self.evidence()].1));
        }
        format!("config = [{}]", parts.join(", "))
    }
}
