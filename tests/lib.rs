//! The integration test binary: data-driven cases from `tests/data/`.
