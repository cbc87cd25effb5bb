//! Scoring against annotated data (`tkg eval`): TempEval-3-style precision, recall and F1
//! for temporal expressions (span, type, value), named entities and event triggers, with
//! the matching rules of `shared/gold/score.py`, so users with their own gold data can
//! measure the pipeline without Python.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Matched, gold and system counts of one figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Pairs matched (one to one).
    pub matched: usize,
    /// Gold items.
    pub gold: usize,
    /// System items.
    pub system: usize,
}

impl Counts {
    /// Precision: matched over system items.
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.system)
    }
    /// Recall: matched over gold items.
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, matched: usize, gold: usize, system: usize) {
        self.matched += matched;
        self.gold += gold;
        self.system += system;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A mention as the gold format writes it: code point offsets plus the fields compared.
#[derive(Debug, Clone)]
struct Item {
    start: i64,
    end: i64,
    kind: String,
    value: String,
    syntactic: String,
}

fn items(doc: &Value, layer: &str) -> Vec<Item> {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    doc.get(layer)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| Item {
                    start: v.get("start").and_then(Value::as_i64).unwrap_or(0),
                    end: v.get("end").and_then(Value::as_i64).unwrap_or(0),
                    kind: text(v, "type"),
                    value: text(v, "value"),
                    syntactic: text(v, "syntactic_type"),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn overlap(a: &Item, b: &Item) -> i64 {
    (a.end.min(b.end) - a.start.max(b.start)).max(0)
}

/// One-to-one matching as score.py does it: exact spans in gold order, or (relaxed) the
/// pairs with an exact span first, then the largest overlap.
fn matches(gold: &[Item], sys: &[Item], relaxed: bool, same_type: bool) -> Vec<(usize, usize)> {
    let ok = |g: &Item, s: &Item| !same_type || g.kind == s.kind;
    let mut pairs = Vec::new();
    if !relaxed {
        let mut index: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (si, s) in sys.iter().enumerate() {
            index.entry((s.start, s.end)).or_default().push(si);
        }
        let mut used = vec![false; sys.len()];
        for (gi, g) in gold.iter().enumerate() {
            if let Some(si) = index
                .get(&(g.start, g.end))
                .and_then(|c| c.iter().copied().find(|&si| !used[si] && ok(g, &sys[si])))
            {
                used[si] = true;
                pairs.push((gi, si));
            }
        }
        return pairs;
    }
    let mut cands = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (si, s) in sys.iter().enumerate() {
            let ov = overlap(g, s);
            if ov > 0 && ok(g, s) {
                let exact = (g.start, g.end) == (s.start, s.end);
                cands.push((!exact, -ov, gi, si));
            }
        }
    }
    cands.sort();
    let (mut ug, mut us) = (vec![false; gold.len()], vec![false; sys.len()]);
    for (_, _, gi, si) in cands {
        if !ug[gi] && !us[si] {
            ug[gi] = true;
            us[si] = true;
            pairs.push((gi, si));
        }
    }
    pairs
}

/// Options of a scoring run.
#[derive(Debug, Clone, Default)]
pub struct EvalConfig {
    /// Keep only gold entities with one of these syntactic types (MEANTIME: `NAM`,
    /// `PRE.NAM`); system mentions that only hit dropped gold mentions are ignored.
    pub entity_syntactic: Option<Vec<String>>,
}

/// Scores one system document against its gold document, adding to `totals`.
pub fn score_document(
    gold: &Value,
    sys: &Value,
    config: &EvalConfig,
    totals: &mut BTreeMap<&'static str, Counts>,
) {
    let mut add = |name: &'static str, m: usize, g: usize, s: usize| {
        totals.entry(name).or_default().add(m, g, s)
    };
    // Entities: people, organizations and places (OTHER dropped on both sides).
    let pol = |e: &Item| matches!(e.kind.as_str(), "PERSON" | "ORG" | "LOC");
    let mut ge = items(gold, "entities");
    let mut se = items(sys, "entities");
    if let Some(keep) = &config.entity_syntactic {
        let (kept, dropped): (Vec<Item>, Vec<Item>) =
            ge.into_iter().partition(|e| keep.contains(&e.syntactic));
        se.retain(|s| {
            kept.iter().any(|k| overlap(s, k) > 0) || !dropped.iter().any(|d| overlap(s, d) > 0)
        });
        ge = kept;
    }
    let (ge, se): (Vec<Item>, Vec<Item>) = (
        ge.into_iter().filter(pol).collect(),
        se.into_iter().filter(pol).collect(),
    );
    add(
        "entity_pol_strict",
        matches(&ge, &se, false, true).len(),
        ge.len(),
        se.len(),
    );
    add(
        "entity_pol_relaxed",
        matches(&ge, &se, true, true).len(),
        ge.len(),
        se.len(),
    );
    // Temporal expressions.
    let (gt, st) = (items(gold, "timexes"), items(sys, "timexes"));
    add(
        "timex_strict",
        matches(&gt, &st, false, false).len(),
        gt.len(),
        st.len(),
    );
    let relaxed = matches(&gt, &st, true, false);
    add("timex_relaxed", relaxed.len(), gt.len(), st.len());
    let typed = relaxed
        .iter()
        .filter(|&&(g, s)| gt[g].kind == st[s].kind)
        .count();
    add("timex_type", typed, gt.len(), st.len());
    let valued = relaxed
        .iter()
        .filter(|&&(g, s)| !gt[g].value.is_empty() && gt[g].value == st[s].value)
        .count();
    add("timex_value", valued, gt.len(), st.len());
    // Event triggers.
    let (gv, sv) = (items(gold, "events"), items(sys, "events"));
    add(
        "event_strict",
        matches(&gv, &sv, false, false).len(),
        gv.len(),
        sv.len(),
    );
    add(
        "event_relaxed",
        matches(&gv, &sv, true, false).len(),
        gv.len(),
        sv.len(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_follows_the_reference_scorer() {
        let doc = |timexes: Value| serde_json::json!({ "timexes": timexes });
        let gold = doc(serde_json::json!([
            {"start": 0, "end": 10, "type": "DATE", "value": "2025-03-05"},
            {"start": 20, "end": 25, "type": "DURATION", "value": "P6W"},
            {"start": 30, "end": 35, "type": "DATE", "value": "2025"}
        ]));
        let sys = doc(serde_json::json!([
            {"start": 0, "end": 10, "type": "DATE", "value": "2025-03-05"},
            {"start": 21, "end": 25, "type": "DATE", "value": "P6W"},
            {"start": 40, "end": 45, "type": "DATE", "value": "2024"}
        ]));
        let mut totals = BTreeMap::new();
        score_document(&gold, &sys, &EvalConfig::default(), &mut totals);
        let c = |k: &str| totals[k];
        assert_eq!(
            c("timex_strict"),
            Counts {
                matched: 1,
                gold: 3,
                system: 3
            }
        );
        assert_eq!(c("timex_relaxed").matched, 2);
        assert_eq!(c("timex_type").matched, 1);
        assert_eq!(c("timex_value").matched, 2);
        assert!((c("timex_relaxed").f1() - 2.0 / 3.0).abs() < 1e-9);
    }
}
