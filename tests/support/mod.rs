//! Helpers shared by the integration tests and the fuzz targets.

#[allow(dead_code)] // toml_string serves the fuzz targets
pub mod check;
pub mod config;
pub mod hostile;
