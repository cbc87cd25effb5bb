#!/usr/bin/env bash
# Rebuilds the part-of-speech tagger's shipped data, byte for byte:
#   data/pos/model.bin   averaged-perceptron weights
#   data/pos/lemmas.tsv  lemma exceptions derived from the treebank's lemma column
# and reports token accuracy on the EWT dev and test sets.
#
# Source: Universal Dependencies English Web Treebank (UD_English-EWT @ 15d613d8),
# license CC BY-SA 4.0 (see ../shared/train/ud-ewt/LICENSE.txt and data/pos/README.md).
# Run from the repository root; the training data lives outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
EWT=../shared/train/ud-ewt
cargo run --release --quiet -- train-pos \
    "$EWT/en_ewt-ud-train.conllu" \
    --iterations 10 \
    --output data/pos/model.bin \
    --lemmas data/pos/lemmas.tsv \
    --eval "$EWT/en_ewt-ud-dev.conllu" \
    --eval "$EWT/en_ewt-ud-test.conllu"
