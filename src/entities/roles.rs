//! Role cues: a person named with a title ("White House press secretary Karoline
//! Leavitt", "The group's spokesman, Hazem Qassem", "Jane Roe, the chief executive of
//! Acme,"), and the organization or place the title belongs to when the text names it.

use crate::entities::lexicon::{lexicon, TitleClass};
use crate::entities::recognize::{full_title_at, Doc, Piece};
use crate::entities::{EntityKind, RoleMention};
use crate::text::{Span, TokenKind};

/// A title found next to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TitleCue {
    /// Index of the person piece.
    pub person: usize,
    /// Title tokens `[start, end)`, modifiers included.
    pub start: usize,
    /// One past the title's last token.
    pub end: usize,
    /// True when the title leads the person's mention: directly before the name ("President
    /// Donald Trump") or through its organization ("President of the United States Barack Obama").
    pub adjacent: bool,
    /// Index of the organization or place piece.
    pub organization: Option<usize>,
    /// Tokens of a nominal owner ("the group" in "the group's spokesman").
    pub nominal: Option<(usize, usize)>,
    /// True when the title is only a form of address ("Mr."), which is no role.
    pub honorific: bool,
}

fn is_possessive(w: &str) -> bool {
    matches!(w, "'s" | "\u{2019}s" | "'" | "\u{2019}")
}

/// The title ending exactly at token `end` and starting no earlier than `floor`.
fn title_ending_at(doc: &Doc, floor: usize, end: usize) -> Option<(usize, TitleClass)> {
    let lex = lexicon();
    let reach = lex.max_title_tokens + 3;
    let lowest = end.saturating_sub(reach).max(floor);
    let ending_at = |end: usize| {
        (lowest..end).find_map(|s| match full_title_at(doc, lex, s, end) {
            Some((s, e, class)) if e == end && class != TitleClass::Modifier => Some((s, class)),
            _ => None,
        })
    };
    let (mut start, class) = ending_at(end)?;
    // Titles in a row belong together: "Mr Justice", "Chairman and CEO" does not.
    while let Some((s, _)) = ending_at(start) {
        start = s;
    }
    Some((start, class))
}

/// Index of the organization or place piece ending at token `end` (exclusive). Pieces
/// are sorted and disjoint, so their ends are sorted too.
fn org_ending_at(pieces: &[Piece], end: usize) -> Option<usize> {
    let k = pieces.partition_point(|p| p.end < end);
    pieces
        .get(k)
        .is_some_and(|p| p.end == end && p.kind != EntityKind::Person)
        .then_some(k)
}

/// Index of the organization or place piece starting at token `start`.
fn org_starting_at(pieces: &[Piece], start: usize) -> Option<usize> {
    let k = pieces.partition_point(|p| p.start < start);
    pieces
        .get(k)
        .is_some_and(|p| p.start == start && p.kind != EntityKind::Person)
        .then_some(k)
}

/// The owner just before a title starting at `ts`: a named mention ("U.S. envoy",
/// "Hamas's spokesman") or a nominal ("the group's spokesman").
fn owner_before(
    doc: &Doc,
    pieces: &[Piece],
    ts: usize,
    floor: usize,
) -> (Option<usize>, Option<(usize, usize)>) {
    if ts <= floor {
        return (None, None);
    }
    if let Some(o) = org_ending_at(pieces, ts) {
        return (Some(o), None);
    }
    let w = doc.tokens[ts - 1].span.slice(doc.text);
    if is_possessive(w) && ts - 1 > floor {
        if let Some(o) = org_ending_at(pieces, ts - 1) {
            return (Some(o), None);
        }
        // "the group's": determiner and a lower-case noun.
        if ts >= floor + 3 {
            let noun = doc.tokens[ts - 2].span.slice(doc.text);
            let det = doc.tokens[ts - 3].span.slice(doc.text);
            if det.eq_ignore_ascii_case("the")
                && noun.chars().next().is_some_and(char::is_lowercase)
            {
                return (None, Some((ts - 3, ts - 1)));
            }
        }
    }
    (None, None)
}

/// The organization named in "of/at/for [the] X" starting at token `k`.
fn org_after(doc: &Doc, pieces: &[Piece], k: usize, ceiling: usize) -> Option<usize> {
    if k >= ceiling || !matches!(doc.tokens[k].span.slice(doc.text), "of" | "at" | "for") {
        return None;
    }
    let mut m = k + 1;
    if m < ceiling
        && doc.tokens[m]
            .span
            .slice(doc.text)
            .eq_ignore_ascii_case("the")
    {
        m += 1;
    }
    org_starting_at(pieces, m)
}

/// Finds the title cues of every person piece. `bounds[i]` is the token range of the
/// sentence holding token `i`'s piece, so cues never cross sentences.
pub(crate) fn title_cues(
    doc: &Doc,
    pieces: &[Piece],
    sentence_of: &dyn Fn(usize) -> (usize, usize),
) -> Vec<TitleCue> {
    let mut cues = Vec::new();
    for (pi, p) in pieces.iter().enumerate() {
        if p.kind != EntityKind::Person {
            continue;
        }
        let (floor, ceiling) = sentence_of(p.start);
        let word = |i: usize| doc.tokens[i].span.slice(doc.text);
        // "press secretary Karoline Leavitt", "President Donald Trump".
        if let Some((ts, class)) = title_ending_at(doc, floor, p.start) {
            let (organization, nominal) = owner_before(doc, pieces, ts, floor);
            cues.push(TitleCue {
                person: pi,
                start: ts,
                end: p.start,
                adjacent: true,
                organization,
                nominal,
                honorific: class == TitleClass::Honorific,
            });
            continue;
        }
        // "the chief executive of Apple Inc. Steve Jobs".
        if let Some(o) = org_ending_at(pieces, p.start) {
            let o_start = pieces[o].start;
            let mut of = o_start;
            if of > floor && word(of - 1).eq_ignore_ascii_case("the") {
                of -= 1;
            }
            if of > floor + 1 && matches!(word(of - 1), "of" | "at") {
                if let Some((ts, class)) = title_ending_at(doc, floor, of - 1) {
                    cues.push(TitleCue {
                        person: pi,
                        start: ts,
                        end: of - 1,
                        // The whole "title of org name" is the person's mention.
                        adjacent: true,
                        organization: Some(o),
                        nominal: None,
                        honorific: class == TitleClass::Honorific,
                    });
                    continue;
                }
            }
        }
        // "The group's spokesman, Hazem Qassem"; "U.S. special envoy to the Middle East, Steve Witkoff".
        if p.start > floor + 1 && word(p.start - 1) == "," {
            let comma = p.start - 1;
            let mut found = None;
            for te in (comma.saturating_sub(8).max(floor + 1)..=comma).rev() {
                if te < comma {
                    let between = word(te);
                    if !matches!(between, "to" | "of" | "for" | "at" | "in") {
                        continue;
                    }
                    let clean = (te..comma)
                        .all(|k| doc.tokens[k].kind != TokenKind::Punct || word(k) == ".");
                    if !clean {
                        continue;
                    }
                }
                if let Some((ts, class)) = title_ending_at(doc, floor, te) {
                    found = Some((ts, te, class));
                    break;
                }
            }
            if let Some((ts, te, class)) = found {
                let (mut organization, nominal) = owner_before(doc, pieces, ts, floor);
                if organization.is_none() && nominal.is_none() {
                    organization = org_after(doc, pieces, te, comma);
                }
                cues.push(TitleCue {
                    person: pi,
                    start: ts,
                    end: te,
                    adjacent: false,
                    organization,
                    nominal,
                    honorific: class == TitleClass::Honorific,
                });
                continue;
            }
        }
        // "Jane Roe, the chief executive of Acme," / "Jane Roe, Acme's chief executive,".
        if p.end + 2 < ceiling && word(p.end) == "," {
            let mut k = p.end + 1;
            let mut organization = None;
            if matches!(
                word(k).to_lowercase().as_str(),
                "the" | "a" | "an" | "its" | "their"
            ) {
                k += 1;
                // "the Japanese minister", "the White House press secretary".
                if let Some(o) = org_starting_at(pieces, k) {
                    organization = Some(o);
                    k = pieces[o].end;
                }
            } else if let Some(o) = org_starting_at(pieces, k) {
                let o_end = pieces[o].end;
                if o_end < ceiling && is_possessive(word(o_end)) {
                    organization = Some(o);
                    k = o_end + 1;
                } else if o_end < ceiling {
                    organization = Some(o);
                    k = o_end;
                }
            }
            if let Some((ts, te, class)) = full_title_at(doc, lexicon(), k, ceiling) {
                if class != TitleClass::Modifier && ts == k {
                    if organization.is_none() {
                        organization = org_after(doc, pieces, te, ceiling);
                    }
                    cues.push(TitleCue {
                        person: pi,
                        start: ts,
                        end: te,
                        adjacent: false,
                        organization,
                        nominal: None,
                        honorific: class == TitleClass::Honorific,
                    });
                }
            }
        }
    }
    cues
}

/// The title words of a cue, lower case, modifiers that only date the title
/// ("former", "then") left out.
fn title_text(doc: &Doc, cue: &TitleCue) -> String {
    let mut words = Vec::new();
    for k in cue.start..cue.end {
        let w = doc.norm[k].to_lowercase();
        if words.is_empty() && matches!(w.as_str(), "former" | "then" | "outgoing" | "incoming") {
            continue;
        }
        words.push(w);
    }
    words.join(" ")
}

/// Turns title cues into role mentions and their nominal owners; `span_of` maps a token
/// range to its byte span.
pub(crate) fn roles_from_cues(
    doc: &Doc,
    pieces: &[Piece],
    cues: &[TitleCue],
    span_of: &dyn Fn(usize, usize) -> Span,
) -> (Vec<RoleMention>, Vec<Option<Span>>) {
    cues.iter()
        .filter(|cue| !cue.honorific)
        .map(|cue| {
            let person = &pieces[cue.person];
            let mut start = cue.start.min(person.start);
            let mut end = person.end.max(cue.end);
            if let Some(o) = cue.organization {
                start = start.min(pieces[o].start);
                end = end.max(pieces[o].end);
            }
            if let Some((a, _)) = cue.nominal {
                start = start.min(a);
            }
            let role = RoleMention {
                person: cue.person,
                title: title_text(doc, cue),
                organization: cue.organization,
                span: span_of(start, end),
            };
            (role, cue.nominal.map(|(a, b)| span_of(a, b)))
        })
        .unzip()
}
