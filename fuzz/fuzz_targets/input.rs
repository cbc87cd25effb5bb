//! Input stage: the bytes as a text or JSON Lines file, read by `input::read_documents`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| timeline_kg_fuzz::checks::replay("input", data));
