//! Temporal normalizer: a DCT (or none) from the first bytes, the text from the rest.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| timeline_kg_fuzz::checks::replay("time", data));
