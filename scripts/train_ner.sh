#!/usr/bin/env bash
# Rebuilds the statistical entity tagger's weights, byte for byte:
#   data/ner/model.bin   averaged-perceptron weights (greedy BIO tagger, PER/ORG/LOC)
#
# Sources (see data/ner/README.md for attribution):
#   Universal NER over UD English EWT (UNER_English-EWT @ 8ed072de), dev and test files,
#   license CC BY-SA 4.0 (Mayhew et al., NAACL 2024);
#   GUM (amir-zeldes/gum @ 72ce5ac1), the academic/bio/court/interview/news/voyage documents,
#   annotations CC BY 4.0, texts CC BY / CC BY-SA per genre.
# Run from anywhere; the training data lives outside the repository (../shared/train).
# Extra arguments go to `tkg train-ner` (e.g. --holdout 10 -o /tmp/m.bin to measure).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C # fixed glob order: the file order is part of the training input
UNER=../shared/train/uner-ewt
GUM=../shared/train/gum
cargo run --release --quiet -- train-ner \
    --iob2 "$UNER/en_ewt-ud-dev.iob2" --iob2 "$UNER/en_ewt-ud-test.iob2" \
    $(for f in "$GUM"/GUM_*.conllu; do printf -- '--gum %s ' "$f"; done) \
    "$@" # writes data/ner/model.bin unless -o says otherwise
