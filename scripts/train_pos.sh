#!/usr/bin/env bash
# Rebuilds the part-of-speech tagger's shipped data, byte for byte:
#   data/pos/model.bin   averaged-perceptron weights
#   data/pos/lemmas.tsv  lemma exceptions derived from the treebanks' lemma column
# and reports token accuracy on the EWT dev and test sets.
#
# Sources (see data/pos/README.md for attribution):
#   UD English EWT (UD_English-EWT @ 15d613d8), train split, license CC BY-SA 4.0;
#   GUM (amir-zeldes/gum @ 72ce5ac1), the academic/bio/court/interview/news/voyage documents,
#   annotations CC BY 4.0, texts CC BY / CC BY-SA per genre.
# Run from anywhere; paths are relative to the repository root and the training data lives
# outside the repository (../shared/train).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C # fixed glob order: the file order is part of the training input
EWT=../shared/train/ud-ewt
GUM=../shared/train/gum
cargo run --release --quiet -- train-pos \
    "$EWT/en_ewt-ud-train.conllu" "$GUM"/GUM_*.conllu \
    --iterations 10 \
    --output data/pos/model.bin \
    --lemmas data/pos/lemmas.tsv \
    --eval "$EWT/en_ewt-ud-dev.conllu" \
    --eval "$EWT/en_ewt-ud-test.conllu"
