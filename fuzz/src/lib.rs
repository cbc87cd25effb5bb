//! Fuzz oracles for timeline-kg: see [`checks`]. The targets in `fuzz_targets/` are thin
//! wrappers that hand libFuzzer's bytes to [`checks::replay`] under their own name.

pub mod checks;
