//! User dictionaries (`tkg build --dict FILE`, `tkg extract --dict FILE`), PETRARCH-style:
//! analysts name the people, organizations and places the defaults miss or get wrong,
//! with their aliases and an optional external id, list words that are not entities, and
//! undo automatic merges. The format and its semantics are in `docs/dictionary.md`.
//!
//! - Recognition ([`Dictionary::apply`]): dictionary names and aliases found in a text
//!   (case-sensitive, whole tokens, longest match first; one Aho-Corasick automaton built
//!   when the dictionary is loaded) become mentions of the entry's kind and replace the
//!   automatic mentions they overlap; `ignore` entries remove the automatic mentions they
//!   cover.
//! - Resolution (`resolve`): every alias of an entry joins its canonical name, in every
//!   document; the entity carries the entry's external id. A name that is a dictionary
//!   entry never joins another entity by an automatic rule, and names an entry lists as
//!   `distinct` are never joined with it ([`Dictionary::is_distinct`]).

use crate::entities::{Entities, EntityKind, EntityMention};
use crate::error::{Error, Location, Result};
use crate::resolve::name_key;
use crate::text::{Span, Token};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a dictionary entry says a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DictKind {
    /// A person, an organization or a place.
    Entity(EntityKind),
    /// Not an entity: automatic mentions of the name are dropped.
    Ignore,
}

impl DictKind {
    /// Parses a kind as written in a dictionary file (case-insensitive): `person`/`per`,
    /// `organization`/`organisation`/`org`, `location`/`loc`/`place`/`gpe`, and
    /// `ignore`/`none`/`not-entity` for names that are not entities.
    pub fn parse(s: &str) -> Option<DictKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "person" | "per" => DictKind::Entity(EntityKind::Person),
            "organization" | "organisation" | "org" => DictKind::Entity(EntityKind::Organization),
            "location" | "loc" | "place" | "gpe" => DictKind::Entity(EntityKind::Location),
            "ignore" | "none" | "not-entity" => DictKind::Ignore,
            _ => return None,
        })
    }

    /// The entity kind, or `None` for `ignore`.
    pub fn entity_kind(self) -> Option<EntityKind> {
        match self {
            DictKind::Entity(k) => Some(k),
            DictKind::Ignore => None,
        }
    }
}

/// One dictionary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The canonical name: the label of the entity every alias joins.
    pub name: String,
    /// What the name is.
    pub kind: DictKind,
    /// Other names of the same entity (the canonical name not repeated).
    pub aliases: Vec<String>,
    /// An external identifier, opaque but checked by [`check_external_id`].
    pub id: Option<String>,
    /// Names that no automatic rule may join with this entry.
    pub distinct: Vec<String>,
    /// Where the entry was written (file and line).
    pub source: Location,
}

impl Entry {
    /// The canonical name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Checks the shape of an external id. Accepted: a Wikidata item id (`Q` and digits with
/// no leading zero, e.g. `Q22686`), or an IRI or prefixed id (`scheme:rest`, the scheme a
/// letter then letters, digits, `+`, `-` or `.`, the rest non-empty, without spaces,
/// control characters or any of `<>"{}|\^` and the backquote), e.g.
/// `https://www.wikidata.org/wiki/Q22686` or `geonames:293397`. Returns what is wrong.
pub fn check_external_id(id: &str) -> std::result::Result<(), String> {
    if let Some(digits) = id.strip_prefix('Q') {
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return if digits.starts_with('0') {
                Err(format!(
                    "external id {id:?} is not a Wikidata QID (no leading zero after Q)"
                ))
            } else {
                Ok(())
            };
        }
    }
    let expected =
        "expected a Wikidata QID such as Q22686, or an IRI or prefixed id such as geonames:293397";
    let Some((scheme, rest)) = id.split_once(':') else {
        return Err(format!("external id {id:?}: {expected}"));
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let rest_ok = !rest.is_empty()
        && !rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c));
    if scheme_ok && rest_ok {
        Ok(())
    } else {
        Err(format!("external id {id:?}: {expected}"))
    }
}

/// True when an external id is a Wikidata item id (`Q22686`).
pub fn is_qid(id: &str) -> bool {
    id.strip_prefix('Q').is_some_and(|d| {
        !d.is_empty() && !d.starts_with('0') && d.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The IRI an external id stands for, when it has one: Wikidata's entity IRI for a QID,
/// the id itself for an `http`/`https` IRI; `None` for other prefixed ids.
pub fn external_iri(id: &str) -> Option<String> {
    if is_qid(id) {
        Some(format!("http://www.wikidata.org/entity/{id}"))
    } else if id.starts_with("http://") || id.starts_with("https://") {
        Some(id.to_string())
    } else {
        None
    }
}

/// One entry as written in a file, before checking.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    kind: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    distinct: Vec<String>,
}

/// A dictionary match in a text: the span and the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Where the name is (byte offsets).
    pub span: Span,
    /// Index of the entry in [`Dictionary::entries`].
    pub entry: usize,
}

struct Inner {
    entries: Vec<Entry>,
    /// Automaton over every name and alias; `None` for an empty dictionary.
    matcher: Option<aho_corasick::AhoCorasick>,
    /// Pattern index -> entry index.
    pattern_entry: Vec<usize>,
    /// Name key of every name and alias -> entry index.
    by_key: HashMap<String, usize>,
    /// Per entry, the name keys of its `distinct` names.
    distinct: Vec<BTreeSet<String>>,
}

/// A loaded user dictionary: entries, plus the automaton that finds them, built once.
/// Cheap to clone (shared).
#[derive(Clone)]
pub struct Dictionary {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary")
            .field("entries", &self.inner.entries.len())
            .finish()
    }
}

impl Dictionary {
    /// Loads and merges dictionary files (JSON array, JSON Lines or CSV; see [`parse`]).
    /// A name or alias given twice (in one file or across files) is an error naming both
    /// places.
    pub fn load(paths: &[PathBuf]) -> Result<Dictionary> {
        let mut entries = Vec::new();
        for path in paths {
            let location = Location {
                path: path.clone(),
                line: None,
            };
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                location: location.clone(),
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
                location,
                offset: e.utf8_error().valid_up_to(),
            })?;
            entries.extend(parse(&text, path)?);
        }
        Dictionary::from_entries(entries)
    }

    /// Builds a dictionary from checked entries, refusing a name or alias claimed by two
    /// entries and a `distinct` name that is the entry's own.
    pub fn from_entries(entries: Vec<Entry>) -> Result<Dictionary> {
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut pattern_entry = Vec::new();
        let mut distinct = Vec::with_capacity(entries.len());
        for (k, e) in entries.iter().enumerate() {
            let bad = |message: String| Error::BadDictionary {
                location: e.source.clone(),
                message,
            };
            let mut own = BTreeSet::new();
            for n in e.names() {
                let key = name_key(n);
                if key.is_empty() {
                    return Err(bad(format!("name {n:?} is empty once reduced")));
                }
                if !own.insert(key.clone()) {
                    // "The Netherlands" beside "Netherlands": one key, two written forms.
                    patterns.push(n);
                    pattern_entry.push(k);
                    continue;
                }
                if let Some(&other) = by_key.get(&key) {
                    let o = &entries[other];
                    return Err(bad(format!(
                        "{n:?} is already a name of {:?} ({}); a name belongs to one entry",
                        o.name, o.source
                    )));
                }
                by_key.insert(key, k);
                patterns.push(n);
                pattern_entry.push(k);
            }
            let mut d = BTreeSet::new();
            for n in &e.distinct {
                let key = name_key(n);
                if own.contains(&key) {
                    return Err(bad(format!(
                        "{n:?} is listed both as a name and as distinct from {:?}",
                        e.name
                    )));
                }
                d.insert(key);
            }
            distinct.push(d);
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            Some(
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| Error::BadDictionary {
                        location: entries[0].source.clone(),
                        message: format!("cannot build the matcher: {e}"),
                    })?,
            )
        };
        Ok(Dictionary {
            inner: Arc::new(Inner {
                entries,
                matcher,
                pattern_entry,
                by_key,
                distinct,
            }),
        })
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.inner.entries
    }

    /// The entry one of whose names (canonical or alias) is `name`, compared as
    /// [`name_key`]s (case, a leading "the" and a possessive ignored).
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        self.index_of(name).map(|k| &self.inner.entries[k])
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.inner.by_key.get(&name_key(name)).copied()
    }

    /// True when no automatic rule may join `a` and `b`: an entry naming one of them lists
    /// the other as `distinct`. Names of one entry are never distinct.
    pub fn is_distinct(&self, a: &str, b: &str) -> bool {
        let (ka, kb) = (name_key(a), name_key(b));
        let (ea, eb) = (
            self.inner.by_key.get(&ka).copied(),
            self.inner.by_key.get(&kb).copied(),
        );
        if ea.is_some() && ea == eb {
            return false;
        }
        ea.is_some_and(|e| self.inner.distinct[e].contains(&kb))
            || eb.is_some_and(|e| self.inner.distinct[e].contains(&ka))
    }

    /// The dictionary names in `text`: case-sensitive, each starting at a token start and
    /// ending at a token end, the longest leftmost match winning; sorted, never
    /// overlapping.
    pub fn find(&self, text: &str, tokens: &[Token]) -> Vec<Match> {
        let Some(matcher) = &self.inner.matcher else {
            return Vec::new();
        };
        let is_start = |b: usize| tokens.binary_search_by_key(&b, |t| t.span.start).is_ok();
        let is_end = |b: usize| {
            let k = tokens.partition_point(|t| t.span.end < b);
            tokens.get(k).is_some_and(|t| t.span.end == b)
        };
        let mut found: Vec<(usize, std::cmp::Reverse<usize>, usize)> = matcher
            .find_overlapping_iter(text)
            .filter(|m| is_start(m.start()) && is_end(m.end()))
            .map(|m| {
                let entry = self.inner.pattern_entry[m.pattern().as_usize()];
                (m.start(), std::cmp::Reverse(m.end()), entry)
            })
            .collect();
        found.sort_unstable();
        let mut out: Vec<Match> = Vec::new();
        let mut last_end = 0;
        for (start, std::cmp::Reverse(end), entry) in found {
            if start >= last_end && end > start {
                out.push(Match {
                    span: Span::new(start, end),
                    entry,
                });
                last_end = end;
            }
        }
        out
    }

    /// Applies the dictionary to one document's entity mentions: dictionary names become
    /// mentions of the entry's kind (canonical name = the entry's name) replacing the
    /// automatic mentions they overlap; `ignore` names remove the automatic mentions
    /// lying inside them. `extents` (one per mention) and `role_nominals` (one per role)
    /// follow; role cues are re-pointed (and dropped when they no longer fit).
    ///
    /// A name lying inside one of the `timexes` spans is no mention ("May" in "May 5").
    ///
    /// Returns, for every old mention index, its new index (`None` when removed), so
    /// other references (event participants) can follow. Applying twice changes nothing.
    pub fn apply(
        &self,
        text: &str,
        tokens: &[Token],
        timexes: &[Span],
        entities: &mut Entities,
        extents: &mut Vec<Span>,
        role_nominals: &mut Vec<Option<Span>>,
    ) -> Vec<Option<usize>> {
        let old = &entities.mentions;
        let identity: Vec<Option<usize>> = (0..old.len()).map(Some).collect();
        let mut matches = self.find(text, tokens);
        matches.retain(|m| !timexes.iter().any(|t| t.contains(m.span)));
        // A dictionary name inside a longer automatic name is left alone: "Smith" in
        // "John Smith", "Trump" in "Melania Trump", "Apple" in "Apple Daily".
        matches.retain(|m| {
            let k = old.partition_point(|o| o.span.end <= m.span.start);
            !old.get(k)
                .is_some_and(|o| o.span.contains(m.span) && o.span != m.span)
        });
        if matches.is_empty() {
            return identity;
        }
        // Which match each old mention overlaps, if any.
        let overlapping = |span: Span| -> Option<usize> {
            let k = matches.partition_point(|m| m.span.end <= span.start);
            matches
                .get(k)
                .filter(|m| m.span.start < span.end && span.start < m.span.end)
                .map(|_| k)
        };
        // New items: (span, source) where source is Ok(old index) or Err(match index).
        let mut items: Vec<(Span, std::result::Result<usize, usize>)> = Vec::new();
        let mut replaced_by: Vec<Option<usize>> = vec![None; old.len()];
        for (i, m) in old.iter().enumerate() {
            match overlapping(m.span) {
                Some(k) => {
                    let entry = &self.inner.entries[matches[k].entry];
                    match entry.kind {
                        DictKind::Entity(_) => replaced_by[i] = Some(k),
                        DictKind::Ignore if matches[k].span.contains(m.span) => {}
                        DictKind::Ignore => items.push((m.span, Ok(i))),
                    }
                }
                None => items.push((m.span, Ok(i))),
            }
        }
        for (k, m) in matches.iter().enumerate() {
            if self.inner.entries[m.entry].kind != DictKind::Ignore {
                items.push((m.span, Err(k)));
            }
        }
        items.sort_by_key(|(span, _)| (span.start, span.end));
        let mut new_of_match = vec![usize::MAX; matches.len()];
        let mut remap: Vec<Option<usize>> = vec![None; old.len()];
        let mut mentions = Vec::with_capacity(items.len());
        let mut new_extents = Vec::with_capacity(items.len());
        for (n, (span, source)) in items.iter().enumerate() {
            match *source {
                Ok(i) => {
                    remap[i] = Some(n);
                    mentions.push(old[i].clone());
                    new_extents.push(extents.get(i).copied().unwrap_or(old[i].span));
                }
                Err(k) => {
                    new_of_match[k] = n;
                    let entry = &self.inner.entries[matches[k].entry];
                    let kind = entry.kind.entity_kind().unwrap_or(EntityKind::Person);
                    // Keep what the replaced mention's extent added at either end (a
                    // leading "the", a title) when it bordered the same words.
                    let (mut start, mut end) = (span.start, span.end);
                    for (i, m) in old.iter().enumerate() {
                        if replaced_by[i] != Some(k) {
                            continue;
                        }
                        let ext = extents.get(i).copied().unwrap_or(m.span);
                        if m.span.start == span.start {
                            start = start.min(ext.start);
                        }
                        if m.span.end == span.end {
                            end = end.max(ext.end);
                        }
                    }
                    mentions.push(EntityMention {
                        span: *span,
                        kind,
                        canonical: Some(entry.name.clone()),
                    });
                    new_extents.push(Span::new(start, end));
                }
            }
        }
        for (i, r) in replaced_by.iter().enumerate() {
            if let Some(k) = r {
                remap[i] = Some(new_of_match[*k]);
            }
        }
        let kind_of = |n: usize| mentions[n].kind;
        let mut roles = Vec::with_capacity(entities.roles.len());
        let mut nominals = Vec::with_capacity(entities.roles.len());
        for (k, r) in entities.roles.iter().enumerate() {
            let Some(person) = remap.get(r.person).copied().flatten() else {
                continue;
            };
            if kind_of(person) != EntityKind::Person {
                continue;
            }
            let organization = r
                .organization
                .and_then(|o| remap.get(o).copied().flatten())
                .filter(|&o| o != person && kind_of(o) != EntityKind::Person);
            let mut role = r.clone();
            role.person = person;
            role.organization = organization;
            roles.push(role);
            nominals.push(role_nominals.get(k).copied().flatten());
        }
        entities.mentions = mentions;
        entities.roles = roles;
        *extents = new_extents;
        *role_nominals = nominals;
        remap
    }
}

/// The line (1-based) of every element of a top-level JSON array, for error messages.
/// Expects valid JSON.
fn array_element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut line, mut depth) = (1usize, 0usize);
    let (mut in_string, mut escaped, mut expect) = (false, false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        let starts_value = !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | ':');
        if depth == 1 && expect && starts_value {
            lines.push(line);
            expect = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expect = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expect = true,
            _ => {}
        }
    }
    lines
}

/// Parses one dictionary file's text. The format follows the extension (`.json`: a JSON
/// array of objects, or JSON Lines when the text starts with `{`; `.jsonl`/`.ndjson`: JSON
/// Lines; `.csv`: CSV with a header row) or, for any other name, the first character
/// (`[` JSON array, `{` JSON Lines, else CSV). Errors name `path` and the line.
pub fn parse(text: &str, path: &Path) -> Result<Vec<Entry>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let at = |line: usize| Location {
        path: path.to_path_buf(),
        line: Some(line),
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let first = text.trim_start().chars().next();
    match (ext.as_str(), first) {
        // An empty file (or only white space) is an empty dictionary.
        (_, None) => Ok(Vec::new()),
        ("csv" | "tsv", _) => parse_csv(text, path),
        ("json", Some('{')) if text.lines().filter(|l| !l.trim().is_empty()).count() > 1 => {
            // One pretty-printed object, or JSON Lines.
            match serde_json::from_str::<RawEntry>(text) {
                Ok(raw) => Ok(vec![check(raw, at(first_line(text)))?]),
                Err(_) => parse_lines(text, &at),
            }
        }
        ("jsonl" | "ndjson", _) | (_, Some('{')) => parse_lines(text, &at),
        ("json", _) | (_, Some('[')) => {
            let values: Vec<serde_json::Value> =
                serde_json::from_str(text).map_err(|e| Error::BadDictionary {
                    location: at(e.line().max(1)),
                    message: format!(
                        "{} (a JSON dictionary is an array of objects)",
                        json_message(&e)
                    ),
                })?;
            let lines = array_element_lines(text);
            let mut out = Vec::with_capacity(values.len());
            for (k, v) in values.into_iter().enumerate() {
                let location = at(lines.get(k).copied().unwrap_or(1));
                let raw: RawEntry =
                    serde_json::from_value(v).map_err(|e| Error::BadDictionary {
                        location: location.clone(),
                        message: json_message(&e),
                    })?;
                out.push(check(raw, location)?);
            }
            Ok(out)
        }
        _ => parse_csv(text, path),
    }
}

/// The 1-based line of the first non-blank character.
fn first_line(text: &str) -> usize {
    text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1
}

/// Entries as JSON Lines: one object per line; blank lines and `#` or `//` comments skipped.
fn parse_lines(text: &str, at: &dyn Fn(usize) -> Location) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let raw: RawEntry = serde_json::from_str(line).map_err(|e| Error::BadDictionary {
            location: at(k + 1),
            message: json_message(&e),
        })?;
        out.push(check(raw, at(k + 1))?);
    }
    Ok(out)
}

/// serde_json's message without its " at line L column C" suffix (the location is ours).
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(k) => s[..k].to_string(),
        None => s,
    }
}

/// The CSV columns, by header name.
const CSV_COLUMNS: [&str; 5] = ["name", "kind", "aliases", "id", "distinct"];

fn parse_csv(text: &str, path: &Path) -> Result<Vec<Entry>> {
    let at = |line: u64| Location {
        path: path.to_path_buf(),
        line: Some(usize::try_from(line).unwrap_or(usize::MAX)),
    };
    let delimiter = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| Error::BadDictionary {
        location: at(e.position().map_or(1, |p| p.line())),
        message: match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} field(s) where the header has {expected_len}"),
            _ => e.to_string(),
        },
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut column = [None; 5];
    for (k, h) in headers.iter().enumerate() {
        let h = h.trim_start_matches('\u{feff}').to_ascii_lowercase();
        match CSV_COLUMNS.iter().position(|c| *c == h) {
            Some(c) if column[c].is_none() => column[c] = Some(k),
            Some(_) => {
                return Err(Error::BadDictionary {
                    location: at(1),
                    message: format!("column {h:?} given twice"),
                })
            }
            None => {
                return Err(Error::BadDictionary {
                    location: at(1),
                    message: format!(
                        "unknown column {h:?}: the header names name, kind and optionally aliases, id, distinct"
                    ),
                })
            }
        }
    }
    if column[0].is_none() || column[1].is_none() {
        return Err(Error::BadDictionary {
            location: at(1),
            message: "the header row must name the columns name and kind".into(),
        });
    }
    let list = |s: &str| -> Vec<String> {
        s.split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect()
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(1, |p| p.line());
        let get = |c: usize| column[c].and_then(|k| record.get(k)).unwrap_or("");
        let raw = RawEntry {
            name: get(0).to_string(),
            kind: get(1).to_string(),
            aliases: list(get(2)),
            id: Some(get(3).to_string()).filter(|s| !s.is_empty()),
            distinct: list(get(4)),
        };
        out.push(check(raw, at(line))?);
    }
    Ok(out)
}

/// Checks one entry: a non-empty name without control characters, a known kind, aliases
/// and distinct names cleaned, the external id's shape; `ignore` entries take neither an
/// id nor distinct names.
fn check(raw: RawEntry, location: Location) -> Result<Entry> {
    let bad = |message: String| Error::BadDictionary {
        location: location.clone(),
        message,
    };
    let clean = |s: &str, what: &str| -> Result<String> {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().any(char::is_control) {
            return Err(bad(format!("{what} {s:?} holds a control character")));
        }
        Ok(s)
    };
    let name = clean(&raw.name, "name")?;
    if name.is_empty() {
        return Err(bad("empty name".into()));
    }
    let kind = DictKind::parse(&raw.kind).ok_or_else(|| {
        bad(format!(
            "unknown kind {:?} for {name:?}: expected person, organization, location or ignore",
            raw.kind
        ))
    })?;
    let mut aliases: Vec<String> = Vec::new();
    for a in &raw.aliases {
        let a = clean(a, "alias")?;
        if !a.is_empty() && a != name && !aliases.contains(&a) {
            aliases.push(a);
        }
    }
    let mut distinct: Vec<String> = Vec::new();
    for d in &raw.distinct {
        let d = clean(d, "distinct name")?;
        if !d.is_empty() && !distinct.contains(&d) {
            distinct.push(d);
        }
    }
    let id = raw
        .id
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(id) = &id {
        check_external_id(id).map_err(&bad)?;
    }
    if kind == DictKind::Ignore && (id.is_some() || !distinct.is_empty()) {
        return Err(bad(format!(
            "{name:?} is an ignore entry: it takes no id and no distinct names"
        )));
    }
    Ok(Entry {
        name,
        kind,
        aliases,
        id,
        distinct,
        source: location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(text: &str, file: &str) -> Dictionary {
        Dictionary::from_entries(parse(text, Path::new(file)).unwrap()).unwrap()
    }

    fn error(text: &str, file: &str) -> String {
        match parse(text, Path::new(file)).and_then(Dictionary::from_entries) {
            Ok(_) => panic!("{file} should not load"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_three_formats_give_the_same_entries() {
        let json = r#"[
  {"name": "Donald Trump", "kind": "person", "aliases": ["POTUS"], "id": "Q22686"},
  {"name": "Breaking", "kind": "ignore"}
]"#;
        let jsonl = "{\"name\": \"Donald Trump\", \"kind\": \"person\", \"aliases\": [\"POTUS\"], \"id\": \"Q22686\"}\n\n{\"name\": \"Breaking\", \"kind\": \"ignore\"}\n";
        let csv = "name,kind,aliases,id\nDonald Trump,person,POTUS,Q22686\n\nBreaking,ignore,,\n";
        let strip = |d: Dictionary| -> Vec<(String, DictKind, Vec<String>, Option<String>)> {
            d.entries()
                .iter()
                .map(|e| (e.name.clone(), e.kind, e.aliases.clone(), e.id.clone()))
                .collect()
        };
        let a = strip(dict(json, "d.json"));
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].2, vec!["POTUS".to_string()]);
        assert_eq!(a, strip(dict(jsonl, "d.jsonl")));
        assert_eq!(a, strip(dict(csv, "d.csv")));
        // Empty files are empty dictionaries, whatever the syntax.
        for file in ["e.json", "e.jsonl", "e.csv", "e.txt"] {
            assert!(dict(" \n", file).entries().is_empty(), "{file}");
        }
        // One pretty-printed object in a .json file.
        let one = "\n{\n  \"name\": \"Breaking\",\n  \"kind\": \"ignore\"\n}\n";
        let d = dict(one, "one.json");
        assert_eq!(d.entries().len(), 1);
        assert_eq!(d.entries()[0].source.line, Some(2));
        // Sniffed from the first character when the extension says nothing.
        assert_eq!(a, strip(dict(json, "d.txt")));
        assert_eq!(a, strip(dict(jsonl, "d.txt")));
    }

    #[test]
    fn entries_remember_their_line() {
        let json = "[\n  {\"name\": \"A\", \"kind\": \"person\"},\n\n  {\"name\": \"B\",\n   \"kind\": \"org\"}\n]";
        let d = dict(json, "d.json");
        let lines: Vec<Option<usize>> = d.entries().iter().map(|e| e.source.line).collect();
        assert_eq!(lines, vec![Some(2), Some(4)]);
        let csv = "name,kind\nA,person\n\"B\nC\",org\nD,loc\n";
        let d = dict(csv, "d.csv");
        let lines: Vec<Option<usize>> = d.entries().iter().map(|e| e.source.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(5)]);
    }

    #[test]
    fn bad_files_name_the_file_and_line() {
        for (text, file, wanted) in [
            ("[\n{\"name\": \"A\", \"kind\": \"person\"},\n{\"name\": \"B\", \"kind\": \"thing\"}\n]", "d.json", "d.json:3: unknown kind \"thing\""),
            ("[\n{\"name\": \"A\", \"kind\": \"person\", \"alias\": []}\n]", "d.json", "d.json:2: unknown field `alias`"),
            ("[\n{\"name\": \"A\", \"kind\": \"person\"}\n", "d.json", "d.json:3: "),
            ("{\"name\": \"A\", \"kind\": \"person\"}\n{\"name\": \"B\", \"kind\": \"person\", \"id\": \"Q012\"}\n", "d.jsonl", "d.jsonl:2: external id \"Q012\""),
            ("{\"name\": \"A\", \"kind\": \"person\", \"id\": \"not an id\"}\n", "d.jsonl", "d.jsonl:1: external id"),
            ("{\"name\": \"A\"\n", "d.jsonl", "d.jsonl:1: "),
            ("name,kind\nA,person\nB,person,extra\n", "d.csv", "d.csv:3: 3 field(s) where the header has 2"),
            ("name,type\nA,person\n", "d.csv", "d.csv:1: unknown column \"type\""),
            ("name,kind\n,person\n", "d.csv", "d.csv:2: empty name"),
            ("name,kind,id\nNoise,ignore,Q5\n", "d.csv", "d.csv:2: \"Noise\" is an ignore entry"),
            ("name,kind,aliases\nA B,person,X\nC D,person,X\n", "d.csv", "d.csv:3: \"X\" is already a name of \"A B\" (d.csv:2)"),
            ("name,kind,aliases,distinct\nA B,person,X,x\n", "d.csv", "d.csv:2: \"x\" is listed both as a name and as distinct"),
        ] {
            let got = error(text, file);
            assert!(got.starts_with(wanted), "{file}: got {got:?}, wanted {wanted:?}");
        }
    }

    #[test]
    fn external_ids_are_checked_by_shape_only() {
        for (id, ok) in [
            ("Q22686", true),
            ("Q1", true),
            ("Q0", false),
            ("Q01", false),
            ("Q", false),
            ("q42", false),
            ("https://www.wikidata.org/wiki/Q42", true),
            ("geonames:293397", true),
            ("viaf:12345", true),
            ("1abc:x", false),
            ("a:", false),
            ("a:b c", false),
            ("a:<b>", false),
            ("", false),
        ] {
            assert_eq!(check_external_id(id).is_ok(), ok, "{id}");
        }
        assert_eq!(
            external_iri("Q22686").as_deref(),
            Some("http://www.wikidata.org/entity/Q22686")
        );
        assert_eq!(
            external_iri("https://example.org/x").as_deref(),
            Some("https://example.org/x")
        );
        assert_eq!(external_iri("geonames:1"), None);
    }

    #[test]
    fn finds_whole_tokens_case_sensitively_longest_first() {
        let d = dict(
            "name,kind,aliases\nBank of America,org,BofA\nBank,org,\nAmerica,loc,\nApple,org,\n",
            "d.csv",
        );
        for (text, wanted) in [
            ("Bank of America said", vec!["Bank of America"]),
            ("Bank of Americana said", vec!["Bank"]),
            ("BofA and Apple's results", vec!["BofA", "Apple"]),
            ("Pineapple apple APPLE", vec![]),
            ("America, Bank", vec!["America", "Bank"]),
        ] {
            let tokens = crate::text::tokenize(text);
            let got: Vec<&str> = d
                .find(text, &tokens)
                .iter()
                .map(|m| m.span.slice(text))
                .collect();
            assert_eq!(got, wanted, "{text}");
        }
    }

    #[test]
    fn distinct_names_block_joins_both_ways() {
        let d = dict(
            "name,kind,aliases,distinct\nJohn Smith,person,J. Smith,Smith\nSmithfield,org,,\n",
            "d.csv",
        );
        for (a, b, blocked) in [
            ("John Smith", "Smith", true),
            ("Smith", "John Smith", true),
            ("J. Smith", "smith", true),
            ("John Smith", "J. Smith", false),
            ("John Smith", "Jones", false),
            ("Smithfield", "Smith", false),
        ] {
            assert_eq!(d.is_distinct(a, b), blocked, "{a} / {b}");
        }
        assert_eq!(
            d.lookup("the J. Smith's").map(|e| e.name.as_str()),
            Some("John Smith")
        );
        assert!(d.lookup("Smith").is_none());
    }

    fn timex_spans(a: &crate::annotate::Annotated) -> Vec<Span> {
        a.timexes.iter().map(|t| t.span).collect()
    }

    fn mentions_after(dict_csv: &str, text: &str) -> Vec<(String, EntityKind, Option<String>)> {
        let d = dict(dict_csv, "d.csv");
        let doc = crate::input::Document {
            id: "t".into(),
            title: None,
            date: None,
            text: text.into(),
            origin: "test".into(),
            annotations: None,
        };
        let mut a = crate::annotate::annotate(doc);
        let _ = d.apply(
            text,
            &a.tokens,
            &timex_spans(&a),
            &mut a.entities,
            &mut a.entity_extents,
            &mut a.role_nominals,
        );
        let before = a.entities.clone();
        // Applying twice changes nothing.
        let again = d.apply(
            text,
            &a.tokens,
            &timex_spans(&a),
            &mut a.entities,
            &mut a.entity_extents,
            &mut a.role_nominals,
        );
        assert_eq!(before, a.entities);
        assert!(again.iter().enumerate().all(|(i, n)| *n == Some(i)));
        assert_eq!(a.entity_extents.len(), a.entities.mentions.len());
        a.entities
            .mentions
            .iter()
            .map(|m| (m.span.slice(text).to_string(), m.kind, m.canonical.clone()))
            .collect()
    }

    #[test]
    fn recognition_overrides_and_ignores_automatic_mentions() {
        let p = EntityKind::Person;
        let o = EntityKind::Organization;
        let got = mentions_after(
            "name,kind,aliases\nAcme Widgets Incorporated,organization,Acme\nBreaking,ignore,\n",
            "Breaking: Acme said on Monday that Mary Jones would lead Acme.",
        );
        assert!(
            got.contains(&("Acme".into(), o, Some("Acme Widgets Incorporated".into()))),
            "{got:?}"
        );
        assert!(got.iter().all(|m| m.0 != "Breaking"), "{got:?}");
        assert!(
            got.iter().any(|m| m.0 == "Mary Jones" && m.1 == p),
            "{got:?}"
        );
        // Inside a longer automatic name or a temporal expression, a name is left alone.
        let got = mentions_after(
            "name,kind,aliases\nDonald Trump,person,Trump\nMay,person,\n",
            "Melania Trump spoke on May 5. Trump met reporters.",
        );
        let names: Vec<(&str, Option<&str>)> =
            got.iter().map(|m| (m.0.as_str(), m.2.as_deref())).collect();
        assert_eq!(
            names,
            vec![("Melania Trump", None), ("Trump", Some("Donald Trump"))]
        );
        // A dictionary kind wins over the automatic one.
        let got = mentions_after("name,kind\nJordan,person\n", "Officials said Jordan spoke.");
        assert_eq!(got, vec![("Jordan".into(), p, Some("Jordan".into()))]);
    }

    #[test]
    fn roles_follow_the_new_mentions() {
        let d = dict("name,kind\nWhite House,organization\n", "d.csv");
        let text = "White House press secretary Karoline Leavitt declined to comment.";
        let doc = crate::input::Document {
            id: "t".into(),
            title: None,
            date: None,
            text: text.into(),
            origin: "test".into(),
            annotations: None,
        };
        let mut a = crate::annotate::annotate(doc);
        let roles_before = a.entities.roles.len();
        d.apply(
            text,
            &a.tokens,
            &timex_spans(&a),
            &mut a.entities,
            &mut a.entity_extents,
            &mut a.role_nominals,
        );
        assert_eq!(a.entities.roles.len(), roles_before);
        for r in &a.entities.roles {
            assert_eq!(a.entities.mentions[r.person].kind, EntityKind::Person);
            if let Some(o) = r.organization {
                assert_eq!(a.entities.mentions[o].span.slice(text), "White House");
            }
        }
        assert_eq!(a.role_nominals.len(), a.entities.roles.len());
    }

    /// Resolves `docs` (id, text) with the dictionary `dict_csv` (none when empty) and
    /// returns (kind, label, aliases, external id, merges) of every entity.
    type Resolved = (EntityKind, String, Vec<String>, Option<String>, Vec<String>);

    fn resolve(dict_csv: &str, docs: &[(&str, &str)]) -> Vec<Resolved> {
        let d = (!dict_csv.is_empty()).then(|| dict(dict_csv, "d.csv"));
        let mut r = crate::resolve::Resolver::new();
        if let Some(d) = &d {
            r.set_dictionary(d.clone());
        }
        for (id, text) in docs {
            let doc = crate::input::Document {
                id: id.to_string(),
                title: None,
                date: None,
                text: text.to_string(),
                origin: "test".into(),
                annotations: None,
            };
            r.add(&crate::annotate::annotate_with(doc, d.as_ref()));
        }
        r.finish()
            .entities
            .into_iter()
            .map(|e| {
                (
                    e.kind,
                    e.label,
                    e.aliases.into_iter().collect(),
                    e.external_id,
                    e.merges,
                )
            })
            .collect()
    }

    #[test]
    fn aliases_join_the_canonical_name_across_documents() {
        let docs = [
            ("a", "Acme said on Monday that prices would rise."),
            (
                "b",
                "Officials at Acme Widgets Incorporated declined to comment.",
            ),
            ("c", "AWI shares fell on Tuesday."),
        ];
        let got = resolve(
            "name,kind,aliases,id\nAcme Widgets Incorporated,organization,Acme;AWI,Q123\n",
            &docs,
        );
        let acme: Vec<_> = got
            .iter()
            .filter(|e| e.1.contains("Acme") || e.1 == "AWI")
            .collect();
        assert_eq!(acme.len(), 1, "{got:?}");
        let (kind, label, aliases, id, merges) = acme[0];
        assert_eq!(*kind, EntityKind::Organization);
        assert_eq!(label, "Acme Widgets Incorporated");
        assert_eq!(aliases, &vec!["AWI".to_string(), "Acme".to_string()]);
        assert_eq!(id.as_deref(), Some("Q123"));
        assert_eq!(
            merges,
            &vec![
                "dictionary: \"Acme\" is an alias of \"Acme Widgets Incorporated\" (d.csv:2)"
                    .to_string(),
                "dictionary: \"AWI\" is an alias of \"Acme Widgets Incorporated\" (d.csv:2)"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn dictionary_entries_undo_automatic_joins() {
        let docs = [
            (
                "a",
                "President John Smith met reporters. Smith said the talks went well.",
            ),
            ("b", "Smith later left for Florida."),
        ];
        // (label, mentions joined by a rule naming John Smith) of the Smiths.
        let smiths = |dict_csv: &str| -> Vec<(String, usize)> {
            resolve(dict_csv, &docs)
                .into_iter()
                .filter(|e| e.1.contains("Smith") && e.0 == EntityKind::Person)
                .map(|e| (e.1, e.4.iter().filter(|m| m.contains("John Smith")).count()))
                .collect()
        };
        // Without a dictionary "Smith" joins "John Smith" (surname rule), logged.
        let auto = resolve("", &docs);
        let john = auto.iter().find(|e| e.1 == "John Smith").unwrap();
        assert_eq!(john.2, vec!["Smith".to_string()]);
        assert!(
            john.4.iter().any(|m| m.contains("is the surname of")),
            "{john:?}"
        );
        // `distinct` undoes it, within and across documents.
        let got = smiths("name,kind,distinct\nJohn Smith,person,Smith\n");
        assert_eq!(
            got,
            vec![("John Smith".to_string(), 0), ("Smith".to_string(), 0)]
        );
        // So does listing "Smith" as an entry of its own.
        let got = smiths("name,kind\nSmith,person\n");
        assert_eq!(
            got,
            vec![("John Smith".to_string(), 0), ("Smith".to_string(), 0)]
        );
    }

    #[test]
    fn every_automatic_join_is_logged_with_its_rule_and_both_names() {
        let got = resolve(
            "",
            &[
                (
                    "a",
                    "Hamas rejected the proposal. The group's spokesman, Hazem Qassem, criticized it. \
                     White House press secretary Karoline Leavitt declined to comment. Leavitt left.",
                ),
                ("b", "On Friday, press secretary Leavitt said the talks would resume."),
            ],
        );
        let merges: Vec<&String> = got.iter().flat_map(|e| &e.4).collect();
        for wanted in [
            "a: \"Leavitt\" is the surname of \"Karoline Leavitt\"",
            "a: \"The group\" is \"Hamas\" (nominal: the nearest organization named before it)",
            "institution: \"White House\" is the seat of an institution",
            "b: \"Leavitt\" is an alias of \"Karoline Leavitt\" (joined in an earlier document)",
        ] {
            assert!(
                merges.iter().any(|m| m.starts_with(wanted)),
                "{wanted}: {merges:?}"
            );
        }
    }

    #[test]
    fn the_dictionary_kind_wins_across_documents() {
        let docs = [
            (
                "a",
                "Talks between Northwind Havens and the employers collapsed.",
            ),
            ("b", "Northwind Havens said the strike would go on."),
        ];
        let got = resolve("name,kind\nNorthwind Havens,organization\n", &docs);
        let found: Vec<_> = got.iter().filter(|e| e.1 == "Northwind Havens").collect();
        assert_eq!(found.len(), 1, "{got:?}");
        assert_eq!(found[0].0, EntityKind::Organization);
    }
}
