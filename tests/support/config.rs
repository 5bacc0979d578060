//! Every builder configuration, as bits: one bit per layer of
//! [`Layer::ALL`] (whether it runs) and one per option of [`KNOBS`]. The
//! property tests (`tests/properties.rs`) and the fuzz targets (`fuzz/`,
//! which include this file with `#[path]`) draw configurations from here, so
//! a new layer is covered as soon as it joins `Layer::ALL`, and a new
//! builder option as soon as it joins `KNOBS` (the test
//! `every_builder_option_is_covered` fails until it does).

use zhfix::{Fixer, FixerBuilder, Layer};

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

/// One configuration: bit `i` switches `Layer::ALL[i]`, bit
/// `Layer::ALL.len() + k` sets `KNOBS[k]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config(pub u64);

impl Config {
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
        Config(bits)
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
        format!("config = [{}]", parts.join(", "))
    }
}
