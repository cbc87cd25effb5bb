//! Stage 5: resolve. Folds annotated documents, one at a time, into corpus-wide entities
//! and events: short names join full names ("Trump" -> "Donald Trump"), acronyms join what
//! they abbreviate, the same name in two documents is one entity, and repeated mentions
//! of one event become one event with several mentions. Every merge is recorded with the
//! reason, so a user can see (and undo, with a dictionary) what was joined.

use crate::annotate::{Annotated, CharIndex};
use crate::dict::Dictionary;
use crate::entities::EntityKind;
use crate::events::{EventType, OrderEdge, Role};
use crate::text::Span;
use crate::time::DateInterval;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Index of a resolved entity in [`Resolved::entities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityId(pub usize);

/// Where something was said: a document, the offsets of the words (Unicode code points,
/// as Python indexes strings) and the sentence holding them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    /// The document's id (shared by all evidence of the document).
    pub doc: Arc<str>,
    /// Start of the words, in code points.
    pub start: usize,
    /// End of the words (exclusive), in code points.
    pub end: usize,
    /// The sentence the words stand in (shared by all evidence of the sentence).
    pub sentence: Arc<str>,
}

/// A document of the corpus, as the graph records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// The document's id.
    pub id: String,
    /// Its headline, if known.
    pub title: Option<String>,
    /// Its publication date, if known.
    pub date: Option<chrono::NaiveDate>,
    /// Where it was read from.
    pub origin: String,
    /// FNV-1a 64-bit hash of the text (hex), so the same article under another id is
    /// recognized when a graph grows.
    pub content_hash: String,
}

/// FNV-1a 64-bit hash of a text, as 16 hex digits: stable across runs and platforms.
pub fn content_hash(text: &str) -> String {
    format!("{:016x}", fnv1a(text))
}

/// FNV-1a 64-bit hash of a text.
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The ids of the documents folded in, in input order, in one buffer: an exact set
/// (a 64-bit hash finds the candidate, the text decides) at a few bytes per id beyond the
/// id itself, where a set of `String`s costs several times the id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentIds {
    text: String,
    /// End of each id in `text`.
    ends: Vec<usize>,
    /// Hash of an id -> its index (the first id with that hash).
    index: HashMap<u64, usize>,
    /// Ids whose hash an earlier, different id has (practically never).
    clashes: Vec<usize>,
}

impl DocumentIds {
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id of document `i` (empty when out of range).
    pub fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(j) => self.ends.get(j).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }

    /// True when `id` is one of the ids.
    pub fn contains(&self, id: &str) -> bool {
        match self.index.get(&fnv1a(id)) {
            Some(&i) if self.get(i) == id => true,
            Some(_) => self.clashes.iter().any(|&i| self.get(i) == id),
            None => false,
        }
    }

    /// Appends `id` (whether or not it is there already).
    pub fn push(&mut self, id: &str) {
        let i = self.ends.len();
        self.text.push_str(id);
        self.ends.push(self.text.len());
        match self.index.entry(fnv1a(id)) {
            std::collections::hash_map::Entry::Occupied(_) => self.clashes.push(i),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
}

/// One real-world person, organization or place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Its canonical (longest) name.
    pub label: String,
    /// Other names it was mentioned by.
    pub aliases: BTreeSet<String>,
    /// Every mention.
    pub mentions: Vec<Evidence>,
    /// Why mentions were joined into this entity, one line per merge.
    pub merges: Vec<String>,
    /// The external id a user dictionary gives it (`Q22686`), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

impl Entity {
    /// A placeholder left where an entity was moved out.
    fn empty() -> Entity {
        Entity {
            kind: EntityKind::Person,
            label: String::new(),
            aliases: BTreeSet::new(),
            mentions: Vec::new(),
            merges: Vec::new(),
            external_id: None,
        }
    }
}

/// A participant link of a resolved event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventParticipant {
    /// How the entity takes part.
    pub role: Role,
    /// The entity.
    pub entity: EntityId,
    /// Where the text says so.
    pub evidence: Evidence,
}

/// One event, possibly mentioned several times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The trigger as first written ("rejected").
    pub trigger: String,
    /// The trigger's lemma ("reject").
    pub lemma: String,
    /// The event's type.
    pub event_type: EventType,
    /// The TIMEX3 value dating it, if its sentence gives one.
    pub date: Option<String>,
    /// The words of that temporal expression.
    pub date_text: Option<String>,
    /// The days the date covers, for sorting on a timeline.
    pub interval: Option<DateInterval>,
    /// Every mention of the trigger.
    pub mentions: Vec<Evidence>,
    /// Who took part, and how.
    pub participants: Vec<EventParticipant>,
}

/// A role: `person` holds `title` in `organization`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleLink {
    /// The person.
    pub person: EntityId,
    /// The organization or place, when the text names it.
    pub organization: Option<EntityId>,
    /// The title ("press secretary").
    pub title: String,
    /// Where the text says so.
    pub evidence: Evidence,
}

/// The whole corpus, resolved: what the graph is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    /// Documents in input order.
    pub documents: Vec<DocumentInfo>,
    /// Entities, sorted by kind and label.
    pub entities: Vec<Entity>,
    /// Events, in input order of their first mention.
    pub events: Vec<Event>,
    /// Role links.
    pub roles: Vec<RoleLink>,
    /// Textual ordering cues between events (indices into `events`).
    #[serde(default)]
    pub order: Vec<OrderEdge>,
}

/// A name reduced for matching: lowercase, no leading "the", no possessive, single spaces.
pub fn name_key(name: &str) -> String {
    // Built in one buffer and trimmed in place: this runs several times per mention, and
    // the chain of `join`/`replace`/`to_string` copies it replaces was ~4 allocations each.
    let mut s = join_words(name);
    if s.contains('\u{2019}') {
        s = s.replace('\u{2019}', "'");
    }
    if s.ends_with("'s") {
        s.truncate(s.len() - 2);
    }
    if s.ends_with('\'') {
        s.pop();
    }
    if s.is_ascii() {
        // Same result as `to_lowercase` on ASCII, without a second string.
        s.make_ascii_lowercase();
    } else {
        s = s.to_lowercase();
    }
    // Without a leading "the ", trimmed: the kept part's byte range, then cut in place.
    let start = if s.starts_with("the ") { 4 } else { 0 };
    let rest = &s[start..];
    let a = start + (rest.len() - rest.trim_start().len());
    let b = a + rest.trim().len();
    s.truncate(b);
    s.drain(..a);
    s
}

/// The whitespace-separated words of `text` joined by single spaces, in one allocation.
fn join_words(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

/// The display form of a mention's name: its canonical form, or its text without a
/// leading "the" and without a possessive.
fn display_name(surface: &str, canonical: Option<&str>) -> String {
    if let Some(c) = canonical {
        return c.to_string();
    }
    // One buffer cut in place (a possessive off the end, an article off the front).
    let mut s = join_words(surface);
    for suffix in ["'s", "\u{2019}s", "'", "\u{2019}"] {
        if s.ends_with(suffix) {
            s.truncate(s.len() - suffix.len());
        }
    }
    for article in ["the ", "The "] {
        if s.starts_with(article) {
            s.drain(..article.len());
        }
    }
    s
}

/// Place names that stand for an institution, from `data/resolve/institutions.txt`, as
/// name keys.
fn institutions() -> &'static crate::pos::FxHashSet<String> {
    // A fixed table probed once per place mention: the fast hasher (its keys are ours).
    static SET: std::sync::OnceLock<crate::pos::FxHashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../data/resolve/institutions.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(name_key)
            .collect()
    })
}

/// True when a nominal owner ("the country's") names a place rather than an organization.
fn nominal_is_place(nominal: &str) -> bool {
    let lower = nominal.to_lowercase();
    [
        "country", "nation", "state", "city", "region", "province", "capital",
    ]
    .iter()
    .any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w))
}

fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// What makes two event mentions in different documents one event: lemma, date value
/// and participants (role, entity index).
type EventKey = (String, String, Vec<(Role, usize)>);

/// A cluster of mentions of one entity inside one document.
struct LocalCluster {
    kind: EntityKind,
    label: String,
    names: BTreeSet<String>,
    mentions: Vec<Evidence>,
    merges: Vec<String>,
    /// Dictionary aliases as written, which joined the canonical name.
    dict_aliases: BTreeSet<String>,
    /// True when a place name was typed an organization as the seat of an institution.
    institution: bool,
}

/// Corpus-wide state while documents are folded in.
#[derive(Default)]
pub struct Resolver {
    documents: Vec<DocumentInfo>,
    /// (kind, name key) -> global entity index.
    by_key: HashMap<(EntityKind, String), usize>,
    entities: Vec<Entity>,
    events: Vec<Event>,
    roles: Vec<RoleLink>,
    order: Vec<OrderEdge>,
    /// Index of events by (lemma, date, participants) for cross-document deduplication.
    event_keys: HashMap<EventKey, usize>,
    /// Ids of the documents folded in so far.
    seen: DocumentIds,
    /// Content hashes of the documents folded in so far.
    seen_hashes: std::collections::HashSet<u64>,
    /// The user dictionary, if any: fixed names, kinds and ids, and joins it forbids.
    dict: Option<Dictionary>,
    /// Mentions of each entity so far (equal to `mentions.len()` unless they are spilled).
    counts: Vec<usize>,
    /// Global index of `events[0]`: 0 in memory; with a [`Spill`], the events of earlier
    /// documents have left and `events` holds those of the current document only.
    events_base: usize,
    /// With a [`Spill`], the merge lines starting "institution: " that have left, by
    /// entity: the only lines the fold looks up again.
    institution_lines: std::collections::HashSet<(usize, String)>,
}

/// Where a memory-bounded build (`crate::spill`) sends the per-mention payload of the
/// fold instead of keeping it: [`Resolver::add_spilled`] calls these in fold order, and
/// the entities keep only their names, kinds, aliases, merges and mention counts.
pub trait Spill {
    /// Document `index` (in the documents list) starts.
    fn document(&mut self, index: usize, info: &DocumentInfo);
    /// Mentions appended to entity `entity`, in the order the entity would keep them.
    fn entity_mentions(&mut self, entity: usize, mentions: &[Evidence]);
    /// A role link.
    fn role(&mut self, link: &RoleLink);
    /// A textual ordering cue between events (global indices).
    fn order(&mut self, edge: &OrderEdge);
    /// A mention of event `event`, first mentioned in an earlier document, with the
    /// participants the mention names (those the event has already are listed too).
    fn event_mention(
        &mut self,
        event: usize,
        mention: &Evidence,
        participants: &[EventParticipant],
    );
    /// The events first mentioned in the document just folded, numbered from `first`,
    /// as they stand at the end of that document.
    fn events(&mut self, first: usize, events: &[Event]);
    /// Merge lines appended to entity `entity`, in order.
    fn merges(&mut self, entity: usize, lines: &[String]);
}

/// A piece of a final entity's merge log (see [`MergePlan::merges`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergePart {
    /// The lines the fold gave entity `0` (an index of the fold), in order.
    Fold(usize),
    /// A line `finish` wrote.
    Line(String),
}

/// How [`Resolver::finish`] joined and ordered the entities, for a build whose mentions
/// were spilled: where each entity's mentions ended up and how to remap entity ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergePlan {
    /// For each entity of the fold, its index in [`Resolved::entities`] as participant
    /// and role links are remapped (`usize::MAX` when it has none).
    pub remap: Vec<usize>,
    /// For each entity of the fold, the final entity holding its mentions (`usize::MAX`
    /// when they are dropped).
    pub holder: Vec<usize>,
    /// For each final entity, true when its mentions are sorted (it took in another
    /// entity's), false when they stay in fold order.
    pub sorted: Vec<bool>,
    /// True when two final entities have the same kind and label, so their order
    /// depends on their mentions.
    pub ties: bool,
    /// The ids of the documents folded in, in input order.
    pub documents: DocumentIds,
    /// For each final entity, its merge log as pieces: with a [`Spill`] the lines of the
    /// fold have left, and these say where they go among the lines `finish` wrote.
    pub merges: Vec<Vec<MergePart>>,
}

impl Resolver {
    /// An empty resolver.
    pub fn new() -> Resolver {
        Resolver::default()
    }

    /// Resolves with a user dictionary: every alias of an entry joins its name (which becomes
    /// the label) with the entry's kind and external id; names of entries never join
    /// another entity by an automatic rule, and `distinct` names never join the entry.
    pub fn set_dictionary(&mut self, dict: Dictionary) {
        self.dict = Some(dict);
    }

    /// True when the dictionary forbids joining `a` and `b` automatically.
    fn distinct(&self, a: &str, b: &str) -> bool {
        self.dict.as_ref().is_some_and(|d| d.is_distinct(a, b))
    }

    /// True when `name` is a dictionary name: only the dictionary joins it.
    fn closed(&self, name: &str) -> bool {
        self.dict.as_ref().is_some_and(|d| d.lookup(name).is_some())
    }

    /// True when `e` is a dictionary entry's entity (its label a name of an entry of its
    /// kind): it keeps its kind and is never merged away.
    fn is_entry(&self, e: &Entity) -> bool {
        self.dict
            .as_ref()
            .and_then(|d| d.lookup(&e.label))
            .is_some_and(|entry| entry.kind.entity_kind() == Some(e.kind))
    }

    /// A resolver that continues from an earlier result (a graph being grown): adding
    /// more documents and finishing gives what one run over all the documents gives.
    pub fn from_resolved(r: Resolved) -> Resolver {
        let mut s = Resolver::new();
        for d in &r.documents {
            s.seen.push(&d.id);
            // A hash this build did not write (not 16 hex digits) only misses the check.
            if let Ok(h) = u64::from_str_radix(&d.content_hash, 16) {
                s.seen_hashes.insert(h);
            }
        }
        s.documents = r.documents;
        for (g, e) in r.entities.iter().enumerate() {
            s.by_key.insert((e.kind, name_key(&e.label)), g);
            for a in &e.aliases {
                s.by_key.entry((e.kind, name_key(a))).or_insert(g);
            }
        }
        for (k, ev) in r.events.iter().enumerate() {
            let signature: Vec<(Role, usize)> = ev
                .participants
                .iter()
                .map(|p| (p.role, p.entity.0))
                .collect();
            if let (Some(date), false) = (&ev.date, signature.is_empty()) {
                s.event_keys
                    .entry((ev.lemma.clone(), date.clone(), signature))
                    .or_insert(k);
            }
        }
        s.counts = r.entities.iter().map(|e| e.mentions.len()).collect();
        s.entities = r.entities;
        s.events = r.events;
        s.roles = r.roles;
        s.order = r.order;
        s
    }

    /// Folds one annotated document in. Documents already seen (same id, or the same text
    /// under another id) are skipped and `false` is returned.
    pub fn add(&mut self, a: &Annotated) -> bool {
        self.add_inner(a, None)
    }

    /// [`Resolver::add`] for a memory-bounded build: mentions, roles, ordering cues and the
    /// document's events go to `spill` instead of staying in the resolver. Use one or the
    /// other for a whole fold, never both.
    pub fn add_spilled(&mut self, a: &Annotated, spill: &mut dyn Spill) -> bool {
        self.add_inner(a, Some(spill))
    }

    fn add_inner(&mut self, a: &Annotated, mut spill: Option<&mut dyn Spill>) -> bool {
        let hash = fnv1a(&a.doc.text);
        if self.seen.contains(&a.doc.id) || self.seen_hashes.contains(&hash) {
            return false;
        }
        self.seen.push(&a.doc.id);
        self.seen_hashes.insert(hash);
        let info = DocumentInfo {
            id: a.doc.id.clone(),
            title: a.doc.title.clone(),
            date: a.doc.date,
            origin: a.doc.origin.clone(),
            content_hash: format!("{hash:016x}"),
        };
        // Spilled, the documents leave too: the ids stay in `seen`.
        match spill.as_deref_mut() {
            Some(s) => s.document(self.seen.len() - 1, &info),
            None => self.documents.push(info),
        }
        let text = a.doc.text.as_str();
        let index = CharIndex::new(text);
        // One shared copy of the document id and of each sentence: a sentence backs ~5
        // pieces of evidence on average, a document id hundreds.
        let doc_id: Arc<str> = Arc::from(a.doc.id.as_str());
        let sentence_texts = std::cell::RefCell::new(vec![None::<Arc<str>>; a.sentences.len()]);
        let sentence_of = |span: Span| -> Arc<str> {
            // The last sentence starting at or before the span.
            let k = a.sentences.partition_point(|s| s.span.start <= span.start);
            match k.checked_sub(1).map(|k| (k, &a.sentences[k])) {
                Some((k, s)) if span.start < s.span.end => sentence_texts.borrow_mut()[k]
                    .get_or_insert_with(|| Arc::from(s.span.slice(text)))
                    .clone(),
                _ => Arc::from(span.slice(text)),
            }
        };
        let evidence = |span: Span| Evidence {
            doc: doc_id.clone(),
            start: index.char_offset(span.start),
            end: index.char_offset(span.end),
            sentence: sentence_of(span),
        };

        // 1. Cluster the document's mentions: long names first, short forms join them.
        let mentions = &a.entities.mentions;
        let mut order: Vec<usize> = (0..mentions.len()).collect();
        let mut names: Vec<String> = mentions
            .iter()
            .map(|m| display_name(m.span.slice(text), m.canonical.as_deref()))
            .collect();
        // The dictionary fixes names and kinds: an alias becomes the entry's name (the
        // alias as written is remembered), an `ignore` name is no entity.
        let mut fixed: Vec<Option<EntityKind>> = vec![None; mentions.len()];
        let mut dict_alias: Vec<Option<String>> = vec![None; mentions.len()];
        let mut ignored = vec![false; mentions.len()];
        if let Some(d) = &self.dict {
            for (i, m) in mentions.iter().enumerate() {
                let Some(entry) = d.lookup(&names[i]) else {
                    continue;
                };
                match entry.kind.entity_kind() {
                    None => ignored[i] = true,
                    Some(k) => {
                        let surface = display_name(m.span.slice(text), None);
                        if surface != entry.name
                            && d.lookup(&surface).is_some_and(|x| x.name == entry.name)
                        {
                            dict_alias[i] = Some(surface);
                        }
                        names[i] = entry.name.clone();
                        fixed[i] = Some(k);
                    }
                }
            }
        }
        // Each mention's name key, computed once: the kinds below and the clustering
        // loop both need it.
        let mut keys: Vec<String> = names.iter().map(|n| name_key(n)).collect();
        let kinds: Vec<EntityKind> = mentions
            .iter()
            .zip(&keys)
            .zip(&fixed)
            .map(|((m, key), f)| match (f, m.kind) {
                (Some(k), _) => *k,
                (None, EntityKind::Location) if institutions().contains(key) => {
                    EntityKind::Organization
                }
                (None, k) => k,
            })
            .collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(names[i].split_whitespace().count()), i));
        let mut clusters: Vec<LocalCluster> = Vec::new();
        // One document's names (the corpus-wide maps keep std's keyed hasher): the fast
        // hasher, sized once instead of rehashed as the document's names come in.
        let mut cluster_by_key: crate::pos::FxHashMap<(EntityKind, String), usize> =
            crate::pos::FxHashMap::with_capacity_and_hasher(mentions.len(), Default::default());
        let mut cluster_of = vec![usize::MAX; mentions.len()];
        for &i in &order {
            let m = &mentions[i];
            let kind = kinds[i];
            let name = &names[i];
            // `order` visits each mention once: its key can be moved out.
            let key = std::mem::take(&mut keys[i]);
            if key.is_empty() || ignored[i] {
                continue;
            }
            // The probe is the key inserted below: built once, not cloned to look up.
            let key = (kind, key);
            let found = cluster_by_key.get(&key).copied();
            let (target, reason) = match found {
                Some(c) => (Some(c), None),
                None if self.closed(name) => (None, None),
                None => match joins(kind, name, &clusters, self.dict.as_ref()) {
                    Some((c, why)) => (Some(c), Some(why)),
                    None => (None, None),
                },
            };
            let c = match target {
                Some(c) => c,
                None => {
                    clusters.push(LocalCluster {
                        kind,
                        label: name.clone(),
                        names: BTreeSet::new(),
                        mentions: Vec::new(),
                        merges: Vec::new(),
                        dict_aliases: BTreeSet::new(),
                        institution: false,
                    });
                    clusters.len() - 1
                }
            };
            if let Some(alias) = dict_alias[i].take() {
                clusters[c].dict_aliases.insert(alias);
            }
            if kind != m.kind && fixed[i].is_none() {
                clusters[c].institution = true;
            }
            if let Some(why) = reason {
                clusters[c].merges.push(format!("{}: {why}", a.doc.id));
            }
            // Most mentions repeat a name their cluster has: no copy for those.
            if !clusters[c].names.contains(name) {
                clusters[c].names.insert(name.clone());
            }
            cluster_by_key.insert(key, c);
            clusters[c].mentions.push(evidence(m.span));
            cluster_of[i] = c;
        }

        // 2. Fold the clusters into corpus entities by (kind, name).
        let mut global_of_cluster = Vec::with_capacity(clusters.len());
        for c in clusters {
            let key = (c.kind, name_key(&c.label));
            let known = self
                .by_key
                .get(&key)
                .copied()
                .filter(|&g| !self.distinct(&c.label, &self.entities[g].label));
            let g = match known {
                Some(g) => {
                    // Known by another name: an alias joined in an earlier document.
                    let label = &self.entities[g].label;
                    if name_key(label) != key.1 {
                        let line = format!(
                            "{}: \"{}\" is an alias of \"{label}\" (joined in an earlier document)",
                            a.doc.id, c.label
                        );
                        self.entities[g].merges.push(line);
                    }
                    g
                }
                None => {
                    self.entities.push(Entity {
                        kind: c.kind,
                        label: c.label.clone(),
                        aliases: BTreeSet::new(),
                        mentions: Vec::new(),
                        merges: Vec::new(),
                        external_id: None,
                    });
                    self.counts.push(0);
                    let g = self.entities.len() - 1;
                    // A name the dictionary keeps apart from the entity it was an alias of.
                    self.by_key.insert(key.clone(), g);
                    g
                }
            };
            for n in &c.names {
                self.by_key.entry((c.kind, name_key(n))).or_insert(g);
                if *n != self.entities[g].label {
                    self.entities[g].aliases.insert(n.clone());
                }
            }
            let e = &mut self.entities[g];
            if c.institution {
                let line = format!(
                    "institution: \"{}\" is the seat of an institution, an organization rather than a place",
                    c.label
                );
                let spilled = self.institution_lines.contains(&(g, line.clone()));
                if !spilled && !e.merges.contains(&line) {
                    e.merges.push(line);
                }
            }
            for alias in c.dict_aliases {
                if e.aliases.insert(alias.clone()) {
                    let source = self
                        .dict
                        .as_ref()
                        .and_then(|d| d.lookup(&e.label))
                        .map(|entry| entry.source.to_string())
                        .unwrap_or_default();
                    e.merges.push(format!(
                        "dictionary: \"{alias}\" is an alias of \"{}\" ({source})",
                        e.label
                    ));
                }
            }
            let mut mentions = c.mentions;
            mentions.sort();
            self.counts[g] += mentions.len();
            match spill.as_deref_mut() {
                Some(s) => s.entity_mentions(g, &mentions),
                None => e.mentions.extend(mentions),
            }
            e.merges.extend(c.merges);
            global_of_cluster.push(g);
        }
        let global = |mention: usize| -> Option<usize> {
            let c = *cluster_of.get(mention)?;
            global_of_cluster.get(c).copied()
        };

        // 3. Roles.
        for (k, r) in a.entities.roles.iter().enumerate() {
            let Some(person) = global(r.person) else {
                continue;
            };
            // "The group's spokesman": the owner named by a common noun is the nearest
            // organization (or, for "the country", place) mentioned before it.
            let nominal = a.role_nominals.get(k).copied().flatten();
            let mut nominal_join = None;
            let organization = r.organization.and_then(global).or_else(|| {
                let n = nominal?;
                let wanted = if nominal_is_place(n.slice(text)) {
                    EntityKind::Location
                } else {
                    EntityKind::Organization
                };
                let m = (0..mentions.len())
                    .rev()
                    .find(|&j| mentions[j].span.end <= n.start && kinds[j] == wanted)?;
                let g = global(m)?;
                if self.distinct(n.slice(text), &self.entities[g].label) {
                    return None;
                }
                nominal_join = Some((g, n.slice(text), wanted));
                Some(g)
            });
            if let Some((g, said, wanted)) = nominal_join {
                let kind = match wanted {
                    EntityKind::Location => "place",
                    _ => "organization",
                };
                let line = format!(
                    "{}: \"{said}\" is \"{}\" (nominal: the nearest {kind} named before it)",
                    a.doc.id, self.entities[g].label
                );
                self.entities[g].merges.push(line);
            }
            let organization = organization.map(EntityId);
            let link = RoleLink {
                person: EntityId(person),
                organization,
                title: r.title.clone(),
                evidence: evidence(r.span),
            };
            match spill.as_deref_mut() {
                Some(s) => s.role(&link),
                None => self.roles.push(link),
            }
        }

        // 4. Events: keep those anchored in the graph (an entity participant or a date);
        // repeated mentions of one event inside the document join.
        let mut local: Vec<usize> = Vec::new();
        // An event the text orders against an anchored one stays too ("the talks followed
        // the ceasefire"), so the timeline can place it.
        let anchored: Vec<bool> = (a.events.iter())
            .map(|e| {
                e.timex.is_some()
                    || e.participants
                        .iter()
                        .any(|p| p.entity.and_then(global).is_some())
            })
            .collect();
        let mut ordered = vec![false; a.events.len()];
        for o in &a.order {
            if anchored.get(o.before) == Some(&true) || anchored.get(o.after) == Some(&true) {
                for k in [o.before, o.after] {
                    if let Some(x) = ordered.get_mut(k) {
                        *x = true;
                    }
                }
            }
        }
        let mut resolved_of: Vec<Option<usize>> = vec![None; a.events.len()];
        for (i, e) in a.events.iter().enumerate() {
            let timex = e.timex.and_then(|t| a.timexes.get(t));
            let mut participants: Vec<EventParticipant> = e
                .participants
                .iter()
                .filter_map(|p| {
                    let g = global(p.entity?)?;
                    Some(EventParticipant {
                        role: p.role,
                        entity: EntityId(g),
                        evidence: evidence(p.span),
                    })
                })
                .collect();
            participants.sort();
            participants.dedup_by(|a, b| a.role == b.role && a.entity == b.entity);
            // A bare copula ("it was a milestone") is an event for TimeML but says nothing
            // a timeline can show.
            if participants.is_empty() && timex.is_none() && !ordered[i] || e.lemma == "be" {
                continue;
            }
            let date = timex.map(|t| t.value.clone());
            let signature: Vec<(Role, usize)> =
                participants.iter().map(|p| (p.role, p.entity.0)).collect();
            let same = local.iter().copied().find(|&k| {
                let ev = &self.events[k - self.events_base];
                ev.lemma == e.lemma
                    && (e.nominal && (ev.date == date || date.is_none() || ev.date.is_none())
                        || !signature.is_empty()
                            && ev
                                .participants
                                .iter()
                                .map(|p| (p.role, p.entity.0))
                                .eq(signature.iter().copied())
                            && ev.date == date)
            });
            // The corpus-wide key is built only for an event it can match or be stored
            // under (dated, with participants), not for every event mention.
            let key = (date.is_some() && !signature.is_empty())
                .then(|| (e.lemma.clone(), date.clone().unwrap_or_default(), signature));
            let cross = key
                .as_ref()
                .and_then(|key| self.event_keys.get(key).copied());
            let mention = evidence(e.trigger);
            match same.or(cross) {
                Some(k) => {
                    resolved_of[i] = Some(k);
                    // Spilled, an event of an earlier document is no longer here.
                    let here = k.checked_sub(self.events_base);
                    let Some(ev) = here.and_then(|j| self.events.get_mut(j)) else {
                        if let Some(s) = spill.as_deref_mut() {
                            s.event_mention(k, &mention, &participants);
                        }
                        continue;
                    };
                    ev.mentions.push(mention);
                    for p in participants {
                        if !ev
                            .participants
                            .iter()
                            .any(|q| q.role == p.role && q.entity == p.entity)
                        {
                            ev.participants.push(p);
                        }
                    }
                    ev.participants.sort();
                    if ev.date.is_none() && date.is_some() {
                        ev.date = date;
                        ev.date_text = timex.map(|t| t.span.slice(text).to_string());
                        ev.interval = timex.and_then(|t| t.interval);
                    }
                }
                None => {
                    self.events.push(Event {
                        trigger: e.trigger.slice(text).to_string(),
                        lemma: e.lemma.clone(),
                        event_type: e.event_type,
                        date,
                        date_text: timex.map(|t| t.span.slice(text).to_string()),
                        interval: timex.and_then(|t| t.interval),
                        mentions: vec![mention],
                        participants,
                    });
                    let k = self.events_base + self.events.len() - 1;
                    resolved_of[i] = Some(k);
                    local.push(k);
                    let Some(key) = key else { continue };
                    if key.1.is_empty() || key.2.is_empty() {
                        continue;
                    }
                    self.event_keys.entry(key).or_insert(k);
                }
            }
        }
        for o in &a.order {
            let pair = (resolved_of.get(o.before), resolved_of.get(o.after));
            if let (Some(&Some(before)), Some(&Some(after))) = pair {
                if before != after {
                    let edge = OrderEdge {
                        before,
                        after,
                        cue: o.cue.clone(),
                        evidence: evidence(o.span),
                    };
                    match spill.as_deref_mut() {
                        Some(s) => s.order(&edge),
                        None => self.order.push(edge),
                    }
                }
            }
        }
        if let Some(s) = spill {
            let mut touched = global_of_cluster;
            touched.sort_unstable();
            touched.dedup();
            for g in touched {
                let lines = std::mem::take(&mut self.entities[g].merges);
                if lines.is_empty() {
                    continue;
                }
                for l in &lines {
                    if l.starts_with("institution: ") {
                        self.institution_lines.insert((g, l.clone()));
                    }
                }
                s.merges(g, &lines);
            }
            s.events(self.events_base, &self.events);
            self.events_base += self.events.len();
            self.events.clear();
        }
        true
    }

    /// Ends the fold: joins single-word person names to the one full name across the corpus
    /// that ends with them, and returns entities in a stable order.
    pub fn finish(self) -> Resolved {
        self.finish_planned().0
    }

    /// [`Resolver::finish`], also saying how entities were joined and ordered: what a
    /// build whose mentions were spilled (see [`Resolver::add_spilled`]) needs to put them
    /// back. Spilled, the result has no events, roles, ordering cues or entity mentions.
    pub fn finish_planned(mut self) -> (Resolved, MergePlan) {
        let mut redirect: Vec<usize> = (0..self.entities.len()).collect();
        let mut reasons: Vec<String> = vec![String::new(); self.entities.len()];
        // One name typed two ways ("FNV Havens said" read as a person in one article, an
        // organization in another): the kind with the most mentions wins.
        // The name may also be another entity's alias ("Trump" alone, read as an
        // organization, and "Donald Trump" known as "Trump"): the alias holder competes too,
        // but only entities whose own label is the name are ever merged away.
        let mut by_name: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for (i, e) in self.entities.iter().enumerate() {
            by_name.entry(name_key(&e.label)).or_default().0.push(i);
        }
        for (i, e) in self.entities.iter().enumerate() {
            for alias in &e.aliases {
                if let Some(group) = by_name.get_mut(&name_key(alias)) {
                    if !group.0.contains(&i) && !group.1.contains(&i) {
                        group.1.push(i);
                    }
                }
            }
        }
        for (labels, holders) in by_name.values() {
            let candidates: Vec<usize> = labels
                .iter()
                .chain(holders)
                .copied()
                .filter(|&i| redirect[i] == i)
                .collect();
            if candidates.len() < 2 {
                continue;
            }
            let winner = *candidates
                .iter()
                .max_by_key(|&&i| {
                    (
                        self.is_entry(&self.entities[i]),
                        self.counts[i],
                        std::cmp::Reverse(self.entities[i].kind),
                        std::cmp::Reverse(i),
                    )
                })
                .unwrap_or(&candidates[0]);
            let losers: Vec<usize> = labels
                .iter()
                .copied()
                .filter(|&i| i != winner && redirect[i] == i)
                .filter(|&i| {
                    let (e, w) = (&self.entities[i], &self.entities[winner]);
                    !self.is_entry(e) && !self.distinct(&e.label, &w.label)
                })
                .collect();
            for i in losers {
                redirect[i] = winner;
                reasons[i] = format!(
                    "corpus: \"{}\" ({:?}, {} mention(s)) is \"{}\" ({:?}, {} mention(s)); the better attested reading wins",
                    self.entities[i].label,
                    self.entities[i].kind,
                    self.counts[i],
                    self.entities[winner].label,
                    self.entities[winner].kind,
                    self.counts[winner]
                );
            }
        }
        // Cross-document short names: "Trump" alone in one article, "Donald Trump" in another.
        let mut by_last: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.entities.iter().enumerate() {
            if redirect[i] == i
                && e.kind == EntityKind::Person
                && e.label.split_whitespace().count() > 1
            {
                if let Some(last) = e.label.split_whitespace().last() {
                    by_last.entry(last.to_lowercase()).or_default().push(i);
                }
            }
        }
        for (i, e) in self.entities.iter().enumerate() {
            if redirect[i] == i
                && e.kind == EntityKind::Person
                && e.label.split_whitespace().count() == 1
            {
                if let Some(&[full]) = by_last.get(&e.label.to_lowercase()).map(Vec::as_slice) {
                    if self.closed(&e.label) || self.distinct(&e.label, &self.entities[full].label)
                    {
                        continue;
                    }
                    redirect[i] = full;
                    reasons[i] = format!(
                        "corpus: \"{}\" is the only full name ending in \"{}\"",
                        self.entities[full].label, e.label
                    );
                }
            }
        }
        // Whose mentions each entity holds, and whether they were sorted by a merge.
        let mut holds: Vec<Vec<usize>> = (0..self.entities.len()).map(|i| vec![i]).collect();
        let mut merged = vec![false; self.entities.len()];
        let mut parts: Vec<Vec<MergePart>> = (0..self.entities.len())
            .map(|i| vec![MergePart::Fold(i)])
            .collect();
        // A join can lead to an entity that was itself joined away later ("Netanyahu" the
        // organization to "Netanyahu" the person, then to "Benjamin Netanyahu"): follow the
        // chain to the entity that stays. Moves run in index order, so an entity joined to
        // one with a larger index still travels along with it.
        let root = |mut i: usize| {
            for _ in 0..redirect.len() {
                if redirect[i] == i {
                    break;
                }
                i = redirect[i];
            }
            i
        };
        let roots: Vec<usize> = (0..redirect.len()).map(root).collect();
        for i in 0..redirect.len() {
            let mut j = redirect[i];
            if j < i {
                j = roots[i];
            }
            if j != i {
                let held = std::mem::take(&mut holds[i]);
                holds[j].extend(held);
                merged[j] = true;
                let held = std::mem::take(&mut parts[i]);
                parts[j].push(MergePart::Line(reasons[i].clone()));
                parts[j].extend(held);
                let moved = std::mem::replace(&mut self.entities[i], Entity::empty());
                let target = &mut self.entities[j];
                if target.external_id.is_none() {
                    target.external_id = moved.external_id;
                }
                target.merges.push(std::mem::take(&mut reasons[i]));
                target.merges.extend(moved.merges);
                if moved.label != target.label {
                    target.aliases.insert(moved.label);
                }
                target.aliases.extend(moved.aliases);
                target.mentions.extend(moved.mentions);
                target.mentions.sort();
            }
        }
        // External ids from the dictionary.
        if let Some(d) = &self.dict {
            for e in &mut self.entities {
                if let Some(entry) = d.lookup(&e.label) {
                    if entry.kind.entity_kind() == Some(e.kind) && entry.id.is_some() {
                        e.external_id = entry.id.clone();
                    }
                }
            }
        }
        // Stable order: by kind, then label; drop the emptied entities.
        let mut order: Vec<usize> = (0..self.entities.len())
            .filter(|&i| redirect[i] == i)
            .collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.entities[a], &self.entities[b]);
            (x.kind, &x.label, &x.mentions).cmp(&(y.kind, &y.label, &y.mentions))
        });
        let mut new_index = vec![usize::MAX; self.entities.len()];
        for (n, &old) in order.iter().enumerate() {
            new_index[old] = n;
        }
        let remap = |id: EntityId| EntityId(new_index[roots[id.0]]);
        let mut plan = MergePlan {
            remap: roots.iter().map(|&j| new_index[j]).collect(),
            holder: vec![usize::MAX; self.entities.len()],
            sorted: order.iter().map(|&i| merged[i]).collect(),
            ties: order.windows(2).any(|w| {
                let (x, y) = (&self.entities[w[0]], &self.entities[w[1]]);
                (x.kind, &x.label) == (y.kind, &y.label)
            }),
            documents: std::mem::take(&mut self.seen),
            merges: order
                .iter()
                .map(|&i| std::mem::take(&mut parts[i]))
                .collect(),
        };
        for (n, &old) in order.iter().enumerate() {
            for &p in &holds[old] {
                plan.holder[p] = n;
            }
        }
        let entities: Vec<Entity> = order
            .iter()
            .map(|&i| std::mem::replace(&mut self.entities[i], Entity::empty()))
            .collect();
        let mut events = self.events;
        for ev in &mut events {
            for p in &mut ev.participants {
                p.entity = remap(p.entity);
            }
            ev.participants.sort();
            ev.participants
                .dedup_by(|a, b| a.role == b.role && a.entity == b.entity);
        }
        let mut roles: Vec<RoleLink> = self
            .roles
            .into_iter()
            .map(|mut r| {
                r.person = remap(r.person);
                r.organization = r.organization.map(remap);
                r
            })
            .collect();
        roles.sort();
        let resolved = Resolved {
            documents: self.documents,
            entities,
            events,
            roles,
            order: self.order,
        };
        (resolved, plan)
    }
}

/// Whether a new name joins an existing cluster of the same document, and why; a cluster
/// the dictionary says is distinct from the name is no candidate.
fn joins(
    kind: EntityKind,
    name: &str,
    clusters: &[LocalCluster],
    dict: Option<&Dictionary>,
) -> Option<(usize, String)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let candidates: Vec<(usize, String)> = clusters
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == kind)
        .filter(|(_, c)| !dict.is_some_and(|d| d.is_distinct(name, &c.label)))
        .filter_map(|(i, c)| {
            let label_words: Vec<&str> = c.label.split_whitespace().collect();
            if label_words.len() <= words.len() {
                return None;
            }
            let why = if kind == EntityKind::Person {
                // "Trump" -> "Donald Trump"; "Donald" alone is too weak a cue, only surnames join.
                (words.len() == 1 && label_words.last() == words.last())
                    .then(|| format!("\"{name}\" is the surname of \"{}\"", c.label))
            } else if words.len() == 1
                && name.len() >= 2
                && name.chars().all(|ch| ch.is_uppercase() || ch == '.')
            {
                let acronym: String = name.chars().filter(|ch| *ch != '.').collect();
                (initials(&c.label) == acronym)
                    .then(|| format!("\"{name}\" is the acronym of \"{}\"", c.label))
            } else {
                (label_words.starts_with(&words))
                    .then(|| format!("\"{name}\" is the start of \"{}\"", c.label))
            };
            why.map(|w| (i, w))
        })
        .collect();
    // Only an unambiguous join: "Smith" with two Smiths in the article stays apart.
    if candidates.len() == 1 {
        candidates.into_iter().next()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_are_an_exact_set_even_when_hashes_clash() {
        let mut ids = DocumentIds::default();
        assert!(ids.is_empty() && !ids.contains("") && ids.get(0).is_empty());
        for id in ["a", "b\u{e9}", "", "a b"] {
            ids.push(id);
        }
        // "clash" pretends to share its hash with "a".
        ids.index.insert(fnv1a("clash"), 0);
        ids.push("clash");
        for (i, id) in ["a", "b\u{e9}", "", "a b", "clash"].iter().enumerate() {
            assert_eq!(ids.get(i), *id);
            assert!(ids.contains(id), "{id:?}");
        }
        for id in ["A", "b", "a  b", "clas"] {
            assert!(!ids.contains(id), "{id:?}");
        }
        assert_eq!((ids.len(), ids.get(9)), (5, ""));
    }

    #[test]
    fn name_keys_ignore_case_articles_and_possessives() {
        for (a, b) in [
            ("The White House", "white house"),
            ("Trump\u{2019}s", "trump"),
            ("Hamas'", "hamas"),
            ("  Gaza   Strip ", "gaza strip"),
        ] {
            assert_eq!(name_key(a), b);
        }
    }

    #[test]
    fn name_key_and_display_name_match_the_copying_versions() {
        // The allocation-light versions against the straightforward ones they replaced.
        fn name_key_ref(name: &str) -> String {
            let mut s: String = name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace('\u{2019}', "'");
            for suffix in ["'s", "'"] {
                if let Some(stripped) = s.strip_suffix(suffix) {
                    s = stripped.to_string();
                }
            }
            let lower = s.to_lowercase();
            lower
                .strip_prefix("the ")
                .unwrap_or(&lower)
                .trim()
                .to_string()
        }
        fn display_name_ref(surface: &str) -> String {
            let mut s = surface.split_whitespace().collect::<Vec<_>>().join(" ");
            for suffix in ["'s", "\u{2019}s", "'", "\u{2019}"] {
                if let Some(stripped) = s.strip_suffix(suffix) {
                    s = stripped.to_string();
                }
            }
            for article in ["the ", "The "] {
                if let Some(stripped) = s.strip_prefix(article) {
                    s = stripped.to_string();
                }
            }
            s
        }
        for name in [
            "",
            " ",
            "the",
            "the ",
            "The The",
            "the 's",
            "x 's",
            "Hamas's'",
            "O\u{2019}Brien\u{2019}s",
            "  the   Gaza\tStrip  ",
            "\u{00C9}LYS\u{00C9}E",
            "ΟΔΥΣΣΕΥΣ",
            "the \u{2019}",
            "'",
            "''s",
            "The White House\u{2019}",
            "\u{3000}Tokyo\u{3000}",
            "İstanbul",
        ] {
            assert_eq!(name_key(name), name_key_ref(name), "{name:?}");
            assert_eq!(display_name(name, None), display_name_ref(name), "{name:?}");
        }
        assert_eq!(display_name("the x", Some("X")), "X");
    }

    #[test]
    fn joins_surnames_acronyms_and_prefixes_only_when_unambiguous() {
        let cluster = |kind, label: &str| LocalCluster {
            kind,
            label: label.into(),
            names: BTreeSet::new(),
            mentions: Vec::new(),
            merges: Vec::new(),
            dict_aliases: BTreeSet::new(),
            institution: false,
        };
        let clusters = vec![
            cluster(EntityKind::Person, "Donald Trump"),
            cluster(EntityKind::Organization, "National Security Council"),
            cluster(EntityKind::Organization, "Lockheed Martin"),
            cluster(EntityKind::Person, "John Smith"),
            cluster(EntityKind::Person, "Anna Smith"),
        ];
        assert_eq!(
            joins(EntityKind::Person, "Trump", &clusters, None).map(|j| j.0),
            Some(0)
        );
        assert_eq!(joins(EntityKind::Person, "Donald", &clusters, None), None);
        assert_eq!(
            joins(EntityKind::Organization, "NSC", &clusters, None).map(|j| j.0),
            Some(1)
        );
        assert_eq!(
            joins(EntityKind::Organization, "Lockheed", &clusters, None).map(|j| j.0),
            Some(2)
        );
        assert_eq!(joins(EntityKind::Person, "Smith", &clusters, None), None);
        assert_eq!(joins(EntityKind::Location, "Trump", &clusters, None), None);
    }

    fn resolve_text(text: &str) -> Resolved {
        let doc = crate::input::Document {
            id: "t".into(),
            title: None,
            date: None,
            text: text.into(),
            origin: "test".into(),
            annotations: None,
        };
        let mut r = Resolver::new();
        r.add(&crate::annotate::annotate(doc));
        r.finish()
    }

    #[test]
    fn nominal_owners_and_institutions_become_organizations_in_roles() {
        let r = resolve_text(
            "Hamas rejected the proposal on Monday. The group's spokesman, Hazem Qassem, criticized the plan. \
             White House press secretary Karoline Leavitt declined to comment.",
        );
        let label = |id: EntityId| r.entities[id.0].label.as_str();
        let roles: Vec<(&str, &str, &str)> = r
            .roles
            .iter()
            .filter_map(|l| Some((label(l.person), l.title.as_str(), label(l.organization?))))
            .collect();
        assert!(
            roles.contains(&("Hazem Qassem", "spokesman", "Hamas")),
            "{roles:?}"
        );
        assert!(
            roles.contains(&("Karoline Leavitt", "press secretary", "White House")),
            "{roles:?}"
        );
        let white_house = r
            .entities
            .iter()
            .find(|e| e.label == "White House")
            .unwrap();
        assert_eq!(white_house.kind, EntityKind::Organization);
    }

    /// A name typed two ways whose winning reading is then joined to a full name: the
    /// chain ends at the full name, whichever document comes first (this used to panic).
    #[test]
    fn chained_corpus_joins_end_at_the_entity_that_stays() {
        let texts = [
            "President Donald Trump met Prime Minister Benjamin Netanyahu in Washington.",
            "Mr. Netanyahu told reporters the talks began after the ceasefire collapsed.",
            "Netanyahu spoke with Trump before the vote.",
            "Mr. Netanyahu said the vote was close.",
        ];
        for order in [[0, 1, 2, 3], [0, 2, 1, 3], [2, 3, 1, 0]] {
            let mut r = Resolver::new();
            for k in order {
                let doc = crate::input::Document {
                    id: format!("d{k}"),
                    title: None,
                    date: None,
                    text: texts[k].into(),
                    origin: "test".into(),
                    annotations: None,
                };
                r.add(&crate::annotate::annotate(doc));
            }
            let (resolved, plan) = r.finish_planned();
            let named: Vec<&Entity> = resolved
                .entities
                .iter()
                .filter(|e| e.label.contains("Netanyahu"))
                .collect();
            assert_eq!(named.len(), 1, "{order:?}: {named:?}");
            assert_eq!(named[0].label, "Benjamin Netanyahu");
            assert_eq!(named[0].mentions.len(), 4, "{order:?}");
            let joins = named[0].merges.iter().filter(|m| m.starts_with("corpus:"));
            assert_eq!(joins.count(), 2, "{order:?}: {:?}", named[0].merges);
            assert!(plan.remap.iter().all(|&n| n < resolved.entities.len()));
            // Every participant names an entity of the graph.
            crate::graph::KnowledgeGraph::from_resolved(resolved);
        }
    }

    #[test]
    fn surnames_join_full_names_within_and_across_documents() {
        let mut r = Resolver::new();
        for (id, text) in [
            (
                "a",
                "President Donald Trump met reporters. Trump said the talks went well.",
            ),
            ("b", "Trump later left for Florida."),
        ] {
            let doc = crate::input::Document {
                id: id.into(),
                title: None,
                date: None,
                text: text.into(),
                origin: "test".into(),
                annotations: None,
            };
            r.add(&crate::annotate::annotate(doc));
        }
        let r = r.finish();
        let trumps: Vec<&Entity> = r
            .entities
            .iter()
            .filter(|e| e.label.contains("Trump"))
            .collect();
        assert_eq!(trumps.len(), 1, "{trumps:?}");
        assert_eq!(trumps[0].label, "Donald Trump");
        assert_eq!(trumps[0].mentions.len(), 3);
        assert!(
            trumps[0].merges.iter().any(|m| m.starts_with("corpus:")),
            "the cross-document merge is logged"
        );
    }
}
