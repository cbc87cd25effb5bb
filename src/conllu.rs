//! Reading CoNLL-U treebanks (Universal Dependencies, GUM) for the trainers of the
//! part-of-speech tagger and the name tagger: one reader, so both see the same sentence
//! text and word spans.
//!
//! Each sentence's text is rebuilt from the surface tokens, honouring `SpaceAfter=No`.
//! Multiword tokens ("don't" = "do" + "n't") contribute their surface form to the text;
//! their words get their own spans when the forms spell the surface form, else the whole
//! token's span. Empty nodes (ids like `8.1`) are skipped.

use std::io;

/// A word of a treebank sentence: its byte span in [`Sentence::text`], Penn tag and MISC
/// column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    /// Start of the word in the sentence text (bytes).
    pub start: usize,
    /// End of the word (exclusive).
    pub end: usize,
    /// The language-specific tag (column 5): Penn tags in the English treebanks.
    pub xpos: &'a str,
    /// The MISC column (column 10), e.g. `Entity=(person-1)|SpaceAfter=No`.
    pub misc: &'a str,
}

/// A treebank sentence: its reconstructed text and its words, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence<'a> {
    /// The text, words joined as the treebank says they were written.
    pub text: String,
    /// The syntactic words.
    pub words: Vec<Word<'a>>,
}

fn invalid(line: usize, msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("line {line}: {msg}"))
}

/// The surface span of a multiword token being read, and how much of it its words have
/// spelled so far.
struct Multiword {
    last: u64,
    start: usize,
    end: usize,
    spelled: usize,
}

/// Reads CoNLL-U text into sentences; an error names the line of a malformed row.
pub(crate) fn read(conllu: &str) -> io::Result<Vec<Sentence<'_>>> {
    let mut sentences = Vec::new();
    let mut text = String::new();
    let mut words: Vec<Word> = Vec::new();
    let mut multiword: Option<Multiword> = None;
    for (n, line) in conllu.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !words.is_empty() {
                sentences.push(Sentence {
                    text: std::mem::take(&mut text),
                    words: std::mem::take(&mut words),
                });
            }
            text.clear();
            multiword = None;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(invalid(n + 1, "expected 10 tab-separated columns"));
        }
        let (id, form, xpos, misc) = (cols[0], cols[1], cols[4], cols[9]);
        let space_after = !misc.split('|').any(|m| m == "SpaceAfter=No");
        if id.contains('.') {
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let last: u64 = b.parse().map_err(|_| invalid(n + 1, "bad range id"))?;
            let _: u64 = a.parse().map_err(|_| invalid(n + 1, "bad range id"))?;
            let start = text.len();
            text.push_str(form);
            let end = text.len();
            if space_after {
                text.push(' ');
            }
            multiword = Some(Multiword {
                last,
                start,
                end,
                spelled: 0,
            });
            continue;
        }
        let id: u64 = id.parse().map_err(|_| invalid(n + 1, "bad id"))?;
        let (start, end) = if let Some(m) = &mut multiword {
            let surface = &text[m.start..m.end];
            let span = if surface
                .get(m.spelled..)
                .is_some_and(|rest| rest.starts_with(form))
            {
                (m.start + m.spelled, m.start + m.spelled + form.len())
            } else {
                (m.start, m.end)
            };
            m.spelled += form.len();
            if id >= m.last {
                multiword = None;
            }
            span
        } else {
            let start = text.len();
            text.push_str(form);
            let end = text.len();
            if space_after {
                text.push(' ');
            }
            (start, end)
        };
        words.push(Word {
            start,
            end,
            xpos,
            misc,
        });
    }
    if !words.is_empty() {
        sentences.push(Sentence { text, words });
    }
    Ok(sentences)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_spans_and_multiword_tokens() {
        let conllu = "# text = I don't.\n\
1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n\
2\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\t_\n\
3.1\tx\tx\tX\tXX\t_\t_\t_\t_\t_\n\
4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\tEntity=1)\n\
\n\
1\tGo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n";
        let s = read(conllu).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "I don't. ");
        let spans: Vec<(&str, &str)> = s[0]
            .words
            .iter()
            .map(|w| (&s[0].text[w.start..w.end], w.xpos))
            .collect();
        assert_eq!(
            spans,
            [("I", "PRP"), ("do", "VBP"), ("n't", "RB"), (".", ".")]
        );
        assert_eq!(s[0].words[3].misc, "Entity=1)");
        assert_eq!(s[1].text, "Go ");
    }

    #[test]
    fn a_multiword_token_whose_words_do_not_spell_it_lends_them_its_span() {
        let conllu = "1-2\tdel\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tde\tde\tADP\tIN\t_\t0\troot\t_\t_\n\
2\tel\tel\tDET\tDT\t_\t1\tdet\t_\t_\n";
        let s = read(conllu).unwrap();
        let spans: Vec<(usize, usize)> = s[0].words.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(spans, [(0, 2), (0, 3)]);
    }

    #[test]
    fn malformed_rows_are_errors_naming_the_line() {
        for (bad, line) in [
            ("1\tonly\tthree\n", 1),
            (
                "1\ta\ta\tX\tXX\t_\t0\troot\t_\t_\nx\ta\ta\tX\tXX\t_\t0\troot\t_\t_\n",
                2,
            ),
            ("a-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n", 1),
        ] {
            let err = read(bad).unwrap_err();
            assert!(
                err.to_string().starts_with(&format!("line {line}:")),
                "{err}"
            );
        }
    }
}
