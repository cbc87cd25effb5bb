//! CLI tests of `tkg eval`: its figures agree with the reference scorer.
mod common;
use common::{root, tkg, write};

fn eval_json(args: &[&str]) -> serde_json::Value {
    let out = tkg().arg("eval").args(args).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_perfect_and_an_empty_system_score_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(
        dir.path(),
        "gold.jsonl",
        br#"{"id":"a","dct":"2025-03-05","text":"Hamas rejected it on Monday.","entities":[{"start":0,"end":5,"type":"ORG","syntactic_type":"NAM"}],"timexes":[{"start":20,"end":26,"type":"DATE","value":"2025-03-03"}],"events":[{"id":"e1","start":6,"end":14}]}"#,
    );
    let same = eval_json(&["--gold", gold.to_str().unwrap(), gold.to_str().unwrap()]);
    for metric in ["entity_pol_strict", "timex_value", "event_strict"] {
        assert_eq!(same[metric]["f1"], 1.0, "{metric}");
    }
    let empty = write(
        dir.path(),
        "empty.jsonl",
        b"{\"id\":\"a\",\"text\":\"Hamas rejected it on Monday.\"}\n",
    );
    let none = eval_json(&["--gold", gold.to_str().unwrap(), empty.to_str().unwrap()]);
    assert_eq!(none["timex_relaxed"]["f1"], 0.0);
    assert_eq!(none["timex_relaxed"]["n_gold"], 1);
}

#[test]
fn figures_agree_with_score_py_on_the_development_gold() {
    let gold_dir = root().join("../shared/gold");
    if !gold_dir.join("score.py").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/gold"
        );
        eprintln!("note: ../shared/gold not found, comparison skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gold = gold_dir.join("meantime.dev.jsonl");
    let sys = dir.path().join("sys.jsonl");
    tkg()
        .arg("extract")
        .arg(&gold)
        .arg("-o")
        .arg(&sys)
        .assert()
        .success();
    let ours = eval_json(&[
        "--gold",
        gold.to_str().unwrap(),
        sys.to_str().unwrap(),
        "--entity-syntactic",
        "NAM,PRE.NAM",
    ]);
    let python = std::env::var("TKG_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = std::process::Command::new(python)
        .arg(gold_dir.join("score.py"))
        .arg(&gold)
        .arg(&sys)
        .args(["--entity-syntactic", "NAM,PRE.NAM", "--json-only"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .to_string();
    let reference: serde_json::Value = serde_json::from_str(&last).unwrap();
    for metric in [
        "entity_pol_strict",
        "entity_pol_relaxed",
        "timex_strict",
        "timex_relaxed",
        "timex_type",
        "timex_value",
        "event_strict",
        "event_relaxed",
    ] {
        let r = &reference["metrics"][metric];
        let o = &ours[metric];
        assert_eq!(r["tp"], o["tp"], "{metric} matches");
        assert_eq!(r["n_gold"], o["n_gold"], "{metric} gold");
        assert_eq!(r["n_sys"], o["n_sys"], "{metric} system");
    }
}
