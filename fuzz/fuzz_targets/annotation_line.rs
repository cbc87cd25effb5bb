//! The annotation-line reader (`tkg build` on `tkg extract` output).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| timeline_kg_fuzz::checks::replay("annotation_line", data));
