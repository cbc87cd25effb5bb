//! The JSON graph loader of `query`, `export`, `timeline` and `build --into`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| timeline_kg_fuzz::checks::replay("graph", data));
