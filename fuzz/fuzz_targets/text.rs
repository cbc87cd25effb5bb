//! Tokenizer and sentence splitter on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| timeline_kg_fuzz::checks::replay("text", data));
