//! Helpers shared by the integration tests and the fuzz targets.

#[allow(dead_code)] // toml_string serves the fuzz targets
pub mod check;
pub mod config;
#[allow(dead_code)] // the fuzz targets do not read the corpus
pub mod corpus;
pub mod hostile;
