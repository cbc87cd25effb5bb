//! A memory-bounded build (`tkg build --low-memory`): the same JSON graph, byte for byte,
//! as [`crate::corpus::build`] followed by [`crate::export::json::write`], with peak memory
//! that grows with the graph's names, not with the corpus.
//!
//! The fold is the same [`Resolver`], but through [`Resolver::add_spilled`]: RAM keeps what
//! is small and corpus-wide (documents, entity names, kinds, aliases, merge lines and
//! mention counts, the keys of cross-document event deduplication), while every mention,
//! role, ordering cue and event goes to temporary files as fixed-size records (sentences
//! once each, in a file of their own). After [`Resolver::finish_planned`] has joined and
//! ordered the entities, [`Spilled::write_json`] streams the graph: records are grouped by
//! final entity or event in buckets of at most a few megabytes, sorted as the in-memory
//! graph sorts them, and written with the same serde types, re-indented as serde_json's
//! pretty printer indents them at that depth. The temporary files live in one folder
//! under the system's temporary directory (`TMPDIR`), removed when the [`Spilled`] is
//! dropped, on error too.

use crate::corpus::{for_each_annotated_in_batches, Duplicate};
use crate::error::{Location, Result};
use crate::events::{OrderEdge, Role};
use crate::export::json::{indent, to_vec_pretty_at, EdgeRef};
use crate::graph::{event_label, slug, EventAttrs, Node, NodeKind, Relation};
use crate::input::InputConfig;
use crate::resolve::{
    DocumentIds, DocumentInfo, Event, EventParticipant, Evidence, MergePart, MergePlan, Resolved,
    Resolver, RoleLink, Spill,
};
use chrono::Datelike;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// RAM for one bucket of records being grouped (a single entity or event with more
/// records than this is still loaded whole).
const BUCKET_BYTES: u64 = 1 << 20;
/// Documents annotated per parallel batch: an annotated document weighs ~30 times its
/// text, so the in-memory build's batches of 256 would be a large part of the memory.
const ANNOTATION_BATCH: usize = 32;
/// At most this many bucket files at once.
const MAX_BUCKETS: u64 = 256;
/// Events per counting block when bucketing records by event.
const EVENT_BLOCK: usize = 64;

// ----- fixed-size records -----

fn u32_at(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_le_bytes)
        .unwrap_or(0)
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    b.get(i..i + 8)
        .and_then(|s| s.try_into().ok())
        .map(u64::from_le_bytes)
        .unwrap_or(0)
}

/// A piece of evidence on disk: document index, offsets, and where its sentence is in the
/// sentence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ev {
    doc: u32,
    start: u64,
    end: u64,
    off: u64,
    len: u32,
}

impl Ev {
    const SIZE: usize = 32;
    fn put(&self, b: &mut Vec<u8>) {
        b.extend_from_slice(&self.doc.to_le_bytes());
        b.extend_from_slice(&self.start.to_le_bytes());
        b.extend_from_slice(&self.end.to_le_bytes());
        b.extend_from_slice(&self.off.to_le_bytes());
        b.extend_from_slice(&self.len.to_le_bytes());
    }
    fn get(b: &[u8]) -> Ev {
        Ev {
            doc: u32_at(b, 0),
            start: u64_at(b, 4),
            end: u64_at(b, 12),
            off: u64_at(b, 20),
            len: u32_at(b, 28),
        }
    }
    /// Sort key equal to [`Evidence`]'s order: the document's rank by id, then offsets
    /// (the same span of a document always stands in the same sentence).
    fn key(&self, rank: &[u32]) -> (u32, u64, u64) {
        (
            rank.get(self.doc as usize).copied().unwrap_or(u32::MAX),
            self.start,
            self.end,
        )
    }
}

/// A record of one of the spill files.
trait Record: Sized {
    const SIZE: usize;
    fn put(&self, b: &mut Vec<u8>);
    fn get(b: &[u8]) -> Self;
}

fn role_code(r: Role) -> u8 {
    match r {
        Role::Agent => 0,
        Role::Patient => 1,
        Role::Other => 2,
    }
}

fn role_of(c: u8) -> Role {
    match c {
        0 => Role::Agent,
        1 => Role::Patient,
        _ => Role::Other,
    }
}

/// A mention of entity `entity` (fold index).
#[derive(Debug, Clone, Copy)]
struct MentionRec {
    entity: u32,
    ev: Ev,
}

impl Record for MentionRec {
    const SIZE: usize = 4 + Ev::SIZE;
    fn put(&self, b: &mut Vec<u8>) {
        b.extend_from_slice(&self.entity.to_le_bytes());
        self.ev.put(b);
    }
    fn get(b: &[u8]) -> Self {
        MentionRec {
            entity: u32_at(b, 0),
            ev: Ev::get(b.get(4..).unwrap_or_default()),
        }
    }
}

/// A role link (fold indices; `org` is `u32::MAX` when the text names none) or an
/// ordering cue (`a` before `b`); `title` indexes the interned titles or cues.
#[derive(Debug, Clone, Copy)]
struct LinkRec {
    a: u32,
    b: u32,
    title: u32,
    ev: Ev,
}

impl Record for LinkRec {
    const SIZE: usize = 12 + Ev::SIZE;
    fn put(&self, b: &mut Vec<u8>) {
        b.extend_from_slice(&self.a.to_le_bytes());
        b.extend_from_slice(&self.b.to_le_bytes());
        b.extend_from_slice(&self.title.to_le_bytes());
        self.ev.put(b);
    }
    fn get(b: &[u8]) -> Self {
        LinkRec {
            a: u32_at(b, 0),
            b: u32_at(b, 4),
            title: u32_at(b, 8),
            ev: Ev::get(b.get(12..).unwrap_or_default()),
        }
    }
}

/// What a later document added to an event: a mention (`participant` false) or a
/// participant.
#[derive(Debug, Clone, Copy)]
struct ExtraRec {
    event: u32,
    participant: bool,
    role: u8,
    entity: u32,
    ev: Ev,
}

impl Record for ExtraRec {
    const SIZE: usize = 10 + Ev::SIZE;
    fn put(&self, b: &mut Vec<u8>) {
        b.extend_from_slice(&self.event.to_le_bytes());
        b.push(u8::from(self.participant));
        b.push(self.role);
        b.extend_from_slice(&self.entity.to_le_bytes());
        self.ev.put(b);
    }
    fn get(b: &[u8]) -> Self {
        ExtraRec {
            event: u32_at(b, 0),
            participant: b.get(4) == Some(&1),
            role: b.get(5).copied().unwrap_or(2),
            entity: u32_at(b, 6),
            ev: Ev::get(b.get(10..).unwrap_or_default()),
        }
    }
}

/// A participant of an event: role, entity (fold index), evidence.
type Part = (Role, u32, Ev);

// ----- files -----

/// An append-only temporary file.
struct Out {
    path: PathBuf,
    w: BufWriter<File>,
    pos: u64,
}

impl Out {
    fn create(dir: &Path, name: &str) -> io::Result<Out> {
        // A dozen files are open while documents are folded in: 16 KB writes are few
        // enough (a few thousand for 50 MB of news) and keep the buffers under 0.2 MB.
        Out::with_buffer(dir, name, 1 << 14)
    }
    /// A file with a write buffer of `bytes` (small for the many bucket files open at once).
    fn with_buffer(dir: &Path, name: &str, bytes: usize) -> io::Result<Out> {
        let path = dir.join(name);
        let w = BufWriter::with_capacity(bytes, File::create(&path)?);
        Ok(Out { path, w, pos: 0 })
    }
    fn write(&mut self, b: &[u8]) -> io::Result<()> {
        self.w.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }
    fn records(&self, size: usize) -> u64 {
        self.pos / size as u64
    }
}

fn open(path: &Path) -> io::Result<BufReader<File>> {
    Ok(BufReader::with_capacity(1 << 16, File::open(path)?))
}

/// Reads the record at `index` of a file of fixed-size records.
fn read_at(file: &mut File, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

/// Names interned in first-seen order (role titles, cue words).
#[derive(Default)]
struct Interner {
    index: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(s.to_string(), i);
        self.names.push(s.to_string());
        i
    }
    /// Rank of each name in sorted order.
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| self.names[a].cmp(&self.names[b]));
        let mut rank = vec![0; self.names.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        rank
    }
}

/// The spill side of the fold: writes what [`Resolver::add_spilled`] hands over.
struct Sink {
    /// The first write error; later writes are skipped.
    error: Option<io::Error>,
    doc: u32,
    sentences: Out,
    /// Sentences of the current document already written.
    sentence_at: HashMap<Arc<str>, (u64, u32)>,
    mentions: Out,
    roles: Out,
    titles: Interner,
    orders: Out,
    cues: Interner,
    extras: Out,
    /// Event records: node JSON (mentions empty), id, mentions, participants.
    events: Out,
    /// Per event: offset and length of its id in `ids`.
    id_index: Out,
    ids: Out,
    /// `before` edges between the dated events of each document, as event pairs.
    dated: Out,
    /// Per document: first pair in `dated` and how many.
    dated_blocks: Vec<(u64, u32)>,
    /// The documents, one JSON line each.
    documents: Out,
    /// Merge lines of the fold; where each entity's are (offset, length), in order.
    merges: Out,
    merges_at: Vec<Vec<(u64, u32)>>,
    n_documents: usize,
    events_seen: usize,
    buf: Vec<u8>,
}

impl Sink {
    fn create(dir: &Path) -> io::Result<Sink> {
        Ok(Sink {
            error: None,
            doc: 0,
            sentences: Out::create(dir, "sentences")?,
            sentence_at: HashMap::new(),
            mentions: Out::create(dir, "mentions")?,
            roles: Out::create(dir, "roles")?,
            titles: Interner::default(),
            orders: Out::create(dir, "orders")?,
            cues: Interner::default(),
            extras: Out::create(dir, "extras")?,
            events: Out::create(dir, "events")?,
            id_index: Out::create(dir, "id-index")?,
            ids: Out::create(dir, "ids")?,
            dated: Out::create(dir, "dated")?,
            dated_blocks: Vec::new(),
            documents: Out::create(dir, "documents")?,
            merges: Out::create(dir, "merges")?,
            merges_at: Vec::new(),
            n_documents: 0,
            events_seen: 0,
            buf: Vec::new(),
        })
    }

    fn keep(&mut self, r: io::Result<()>) {
        if let (Err(e), None) = (r, &self.error) {
            self.error = Some(e);
        }
    }

    fn ev(&mut self, e: &Evidence) -> Ev {
        let (off, len) = match self.sentence_at.get(&e.sentence) {
            Some(&at) => at,
            None => {
                let at = (self.sentences.pos, e.sentence.len() as u32);
                let r = self.sentences.write(e.sentence.as_bytes());
                self.keep(r);
                self.sentence_at.insert(e.sentence.clone(), at);
                at
            }
        };
        Ev {
            doc: self.doc,
            start: e.start as u64,
            end: e.end as u64,
            off,
            len,
        }
    }

    fn put<R: Record>(&mut self, file: fn(&mut Sink) -> &mut Out, r: &R) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        r.put(&mut buf);
        let res = file(self).write(&buf);
        self.buf = buf;
        self.keep(res);
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        for f in [
            &mut self.sentences,
            &mut self.mentions,
            &mut self.roles,
            &mut self.orders,
            &mut self.extras,
            &mut self.events,
            &mut self.id_index,
            &mut self.ids,
            &mut self.dated,
            &mut self.documents,
            &mut self.merges,
        ] {
            f.w.flush()?;
        }
        Ok(())
    }

    fn write_event(&mut self, id: &str, ev: &Event) -> io::Result<()> {
        let node = Node {
            id: id.to_string(),
            kind: NodeKind::Event,
            label: event_label(ev),
            aliases: Vec::new(),
            mentions: Vec::new(),
            event: Some(EventAttrs {
                trigger: ev.trigger.clone(),
                lemma: ev.lemma.clone(),
                event_type: ev.event_type,
                date: ev.date.clone(),
                date_text: ev.date_text.clone(),
                date_start: ev.interval.map(|i| i.start),
                date_end: ev.interval.map(|i| i.end),
            }),
            merges: Vec::new(),
            external_id: None,
        };
        let json = to_vec_pretty_at(&node, NODE_DEPTH)?;
        let mut b = Vec::with_capacity(json.len() + 64);
        b.extend_from_slice(&(json.len() as u32).to_le_bytes());
        b.extend_from_slice(&json);
        b.extend_from_slice(&(ev.mentions.len() as u32).to_le_bytes());
        for m in &ev.mentions {
            self.ev(m).put(&mut b);
        }
        b.extend_from_slice(&(ev.participants.len() as u32).to_le_bytes());
        for p in &ev.participants {
            b.push(role_code(p.role));
            b.extend_from_slice(&(p.entity.0 as u32).to_le_bytes());
            self.ev(&p.evidence).put(&mut b);
        }
        self.events.write(&b)?;
        let mut index = Vec::with_capacity(EventIds::SIZE);
        index.extend_from_slice(&self.ids.pos.to_le_bytes());
        index.extend_from_slice(&(id.len() as u32).to_le_bytes());
        let days = ev
            .interval
            .map(|i| (i.start.num_days_from_ce(), i.end.num_days_from_ce()));
        index.extend_from_slice(&u32::from(days.is_some()).to_le_bytes());
        let (start, end) = days.unwrap_or((0, 0));
        index.extend_from_slice(&start.to_le_bytes());
        index.extend_from_slice(&end.to_le_bytes());
        self.id_index.write(&index)?;
        self.ids.write(id.as_bytes())
    }
}

impl Spill for Sink {
    fn document(&mut self, index: usize, info: &DocumentInfo) {
        self.doc = index as u32;
        self.n_documents = index + 1;
        let r = serde_json::to_vec(info)
            .map_err(io::Error::other)
            .and_then(|mut line| {
                line.push(b'\n');
                self.documents.write(&line)
            });
        self.keep(r);
        self.sentence_at.clear();
        let at = self.dated.records(8);
        self.dated_blocks.resize(index + 1, (at, 0));
    }

    fn entity_mentions(&mut self, entity: usize, mentions: &[Evidence]) {
        for m in mentions {
            let ev = self.ev(m);
            let r = MentionRec {
                entity: entity as u32,
                ev,
            };
            self.put(|s| &mut s.mentions, &r);
        }
    }

    fn role(&mut self, link: &RoleLink) {
        let ev = self.ev(&link.evidence);
        let r = LinkRec {
            a: link.person.0 as u32,
            b: link.organization.map_or(u32::MAX, |o| o.0 as u32),
            title: self.titles.id(&link.title),
            ev,
        };
        self.put(|s| &mut s.roles, &r);
    }

    fn order(&mut self, edge: &OrderEdge) {
        let ev = self.ev(&edge.evidence);
        let r = LinkRec {
            a: edge.before as u32,
            b: edge.after as u32,
            title: self.cues.id(&edge.cue),
            ev,
        };
        self.put(|s| &mut s.orders, &r);
    }

    fn event_mention(
        &mut self,
        event: usize,
        mention: &Evidence,
        participants: &[EventParticipant],
    ) {
        let ev = self.ev(mention);
        let r = ExtraRec {
            event: event as u32,
            participant: false,
            role: 0,
            entity: 0,
            ev,
        };
        self.put(|s| &mut s.extras, &r);
        for p in participants {
            let ev = self.ev(&p.evidence);
            let r = ExtraRec {
                event: event as u32,
                participant: true,
                role: role_code(p.role),
                entity: p.entity.0 as u32,
                ev,
            };
            self.put(|s| &mut s.extras, &r);
        }
    }

    fn merges(&mut self, entity: usize, lines: &[String]) {
        if self.merges_at.len() <= entity {
            self.merges_at.resize_with(entity + 1, Vec::new);
        }
        for l in lines {
            self.merges_at[entity].push((self.merges.pos, l.len() as u32));
            let r = self.merges.write(l.as_bytes());
            self.keep(r);
        }
    }

    fn events(&mut self, first: usize, events: &[Event]) {
        // Ids as the graph gives them: unique among the document's events (those of other
        // documents, and entities, never share their prefix).
        let mut used: HashSet<String> = HashSet::new();
        let mut dated = Vec::new();
        for (j, ev) in events.iter().enumerate() {
            let k = first + j;
            let (doc, start) = match ev.mentions.first() {
                Some(m) => (m.doc.to_string(), m.start),
                None => (String::new(), 0),
            };
            let id = unique_id(format!("event:{doc}:{start}"), &used);
            used.insert(id.clone());
            let r = self.write_event(&id, ev);
            self.keep(r);
            if let Some(i) = ev.interval {
                dated.push((i.start, i.end, k));
            }
        }
        self.events_seen = first + events.len();
        // Consecutive groups of one interval, linked when they do not overlap, as
        // `KnowledgeGraph::from_resolved_with_order` links them.
        dated.sort();
        let mut groups: Vec<((chrono::NaiveDate, chrono::NaiveDate), Vec<usize>)> = Vec::new();
        for (s, e, k) in dated {
            match groups.last_mut() {
                Some((i, ks)) if *i == (s, e) => ks.push(k),
                _ => groups.push(((s, e), vec![k])),
            }
        }
        let begin = self.dated.records(8);
        let mut n = 0u32;
        for w in groups.windows(2) {
            if w[0].0 .1 <= w[1].0 .0 {
                for &x in &w[0].1 {
                    for &y in &w[1].1 {
                        let mut b = [0u8; 8];
                        b[..4].copy_from_slice(&(x as u32).to_le_bytes());
                        b[4..].copy_from_slice(&(y as u32).to_le_bytes());
                        let r = self.dated.write(&b);
                        self.keep(r);
                        n += 1;
                    }
                }
            }
        }
        if let Some(block) = self.dated_blocks.get_mut(self.doc as usize) {
            *block = (begin, n);
        }
    }
}

/// `base`, or `base-2`, `base-3`, ... the first not in `used` (as the graph names nodes).
fn unique_id(base: String, used: &HashSet<String>) -> String {
    if !used.contains(&base) {
        return base;
    }
    (2..)
        .map(|k| format!("{base}-{k}"))
        .find(|c| !used.contains(c))
        .unwrap_or(base)
}

// ----- grouping records that do not fit in RAM -----

/// Records of a spill file split into buckets by a block number, each bucket a file of
/// consecutive blocks small enough to load.
struct Buckets {
    /// (first block after the bucket, file).
    files: Vec<(usize, PathBuf)>,
}

/// Splits the records of `src` into buckets by `block_of` (records whose block is `None`
/// are dropped); `blocks` bounds the block numbers, `budget` the bytes of a bucket (one
/// block with more records is still one bucket).
fn bucketize<R: Record>(
    dir: &Path,
    name: &str,
    src: &Path,
    blocks: usize,
    budget: u64,
    block_of: impl Fn(&R) -> Option<usize>,
) -> io::Result<Buckets> {
    let mut counts = vec![0u64; blocks];
    let mut buf = vec![0u8; R::SIZE];
    let mut total = 0u64;
    {
        let mut r = open(src)?;
        while read_record(&mut r, &mut buf)? {
            if let Some(b) = block_of(&R::get(&buf)).and_then(|b| counts.get_mut(b)) {
                *b += 1;
                total += 1;
            }
        }
    }
    let size = R::SIZE as u64;
    let budget = budget.max(total * size / MAX_BUCKETS + 1);
    let mut ends = Vec::new();
    let mut acc = 0u64;
    for (b, &c) in counts.iter().enumerate() {
        if acc > 0 && (acc + c) * size > budget {
            ends.push(b);
            acc = 0;
        }
        acc += c;
    }
    ends.push(blocks);
    let mut bucket_of = vec![0u32; blocks];
    let mut k = 0;
    for (b, slot) in bucket_of.iter_mut().enumerate() {
        while ends[k] <= b {
            k += 1;
        }
        *slot = k as u32;
    }
    let mut files = Vec::with_capacity(ends.len());
    let mut outs = Vec::with_capacity(ends.len());
    for (k, &end) in ends.iter().enumerate() {
        let o = Out::with_buffer(dir, &format!("{name}-{k}"), 1 << 13)?;
        files.push((end, o.path.clone()));
        outs.push(o);
    }
    let mut r = open(src)?;
    while read_record(&mut r, &mut buf)? {
        let rec = R::get(&buf);
        if let Some(k) = block_of(&rec).and_then(|b| bucket_of.get(b)) {
            outs[*k as usize].write(&buf)?;
        }
    }
    for o in &mut outs {
        o.w.flush()?;
    }
    Ok(Buckets { files })
}

/// Reads one record; false at the end of the file.
fn read_record(r: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    match r.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Walks bucketed records key by key, in increasing key order: loads a bucket when the
/// walk reaches it, sorts it (stably, so records of one key keep their file order unless
/// `cmp` says otherwise), and hands out the records of each key.
struct Grouped<R, K, C> {
    buckets: Buckets,
    next: usize,
    /// Block number past the loaded bucket.
    end: usize,
    /// The loaded bucket, each record with its position in the file.
    records: Vec<(R, u32)>,
    pos: usize,
    /// The records of the key last asked for.
    group: Vec<R>,
    key: K,
    block: usize,
    cmp: C,
}

impl<R, K, C> Grouped<R, K, C>
where
    R: Record + Copy,
    K: Fn(&R) -> Option<usize>,
    C: Fn(&R, &R) -> std::cmp::Ordering,
{
    fn new(buckets: Buckets, key: K, block: usize, cmp: C) -> Self {
        Grouped {
            buckets,
            next: 0,
            end: 0,
            records: Vec::new(),
            pos: 0,
            group: Vec::new(),
            key,
            block,
            cmp,
        }
    }

    /// The records of key `k` (keys must be asked in increasing order).
    fn take(&mut self, k: usize) -> io::Result<&[R]> {
        while k / self.block >= self.end && self.next < self.buckets.files.len() {
            let (end, path) = &self.buckets.files[self.next];
            self.end = *end;
            self.next += 1;
            // Sized to the bucket, not grown by doubling.
            self.records = Vec::new();
            let len = std::fs::metadata(path)?.len() / R::SIZE as u64;
            self.records
                .reserve_exact(usize::try_from(len).unwrap_or(0));
            let mut r = open(path)?;
            let mut buf = vec![0u8; R::SIZE];
            let mut n = 0u32;
            while read_record(&mut r, &mut buf)? {
                self.records.push((R::get(&buf), n));
                n = n.wrapping_add(1);
            }
            // The bucket file is read: its disk space is not needed any more.
            let _ = std::fs::remove_file(path);
            // In place (no scratch copy of the bucket); the position keeps it stable.
            let (key, cmp) = (&self.key, &self.cmp);
            self.records.sort_unstable_by(|a, b| {
                key(&a.0)
                    .cmp(&key(&b.0))
                    .then_with(|| cmp(&a.0, &b.0))
                    .then(a.1.cmp(&b.1))
            });
            self.pos = 0;
        }
        let key = &self.key;
        while self.pos < self.records.len() && key(&self.records[self.pos].0) < Some(k) {
            self.pos += 1;
        }
        self.group.clear();
        while self.pos < self.records.len() && key(&self.records[self.pos].0) == Some(k) {
            self.group.push(self.records[self.pos].0);
            self.pos += 1;
        }
        Ok(&self.group)
    }
}

// ----- the build -----

/// The result of the fold of a memory-bounded build: the problems met, the documents,
/// and the graph's payload in temporary files until [`Spilled::write_json`] writes it.
pub struct Spilled {
    /// Inputs that failed, each with its error; the graph holds everything else.
    pub errors: Vec<crate::Error>,
    /// Documents skipped because one with the same id or text came first.
    pub duplicates: Vec<Duplicate>,
    resolved: Resolved,
    plan: MergePlan,
    sink: Sink,
    titles: Vec<String>,
    cues: Vec<String>,
    // Last, so the files are closed before the folder is removed.
    dir: tempfile::TempDir,
}

fn io_error(path: &Path, source: io::Error) -> crate::Error {
    crate::Error::Io {
        location: Location {
            path: path.to_path_buf(),
            line: None,
        },
        source,
    }
}

/// Reads, annotates and resolves `inputs` like [`crate::corpus::build`], keeping the
/// per-mention payload of the graph in temporary files instead of RAM; write the graph
/// with [`Spilled::write_json`]. With `strict`, stops at the first error.
pub fn build(inputs: &[PathBuf], config: &InputConfig, strict: bool) -> Result<Spilled> {
    let tmp = std::env::temp_dir();
    let dir = tempfile::Builder::new()
        .prefix("tkg-spill-")
        .tempdir()
        .map_err(|e| io_error(&tmp, e))?;
    let mut sink = Sink::create(dir.path()).map_err(|e| io_error(dir.path(), e))?;
    let mut resolver = Resolver::new();
    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    for_each_annotated_in_batches(inputs, config, None, ANNOTATION_BATCH, |item| {
        if strict && !errors.is_empty() {
            return;
        }
        match item {
            Ok(a) => {
                if !resolver.add_spilled(&a, &mut sink) {
                    duplicates.push(Duplicate {
                        id: a.doc.id.clone(),
                        origin: a.doc.origin.clone(),
                        in_base: false,
                    });
                }
            }
            Err(e) => errors.push(e),
        }
    });
    if strict && !errors.is_empty() {
        return Err(errors.remove(0));
    }
    // Tagging is over: the tagger memos (a few MB per thread) are not needed to write.
    rayon::broadcast(|_| crate::pos::release_memo());
    crate::pos::release_memo();
    sink.flush().map_err(|e| io_error(dir.path(), e))?;
    sink.sentence_at = HashMap::new();
    let (resolved, plan) = resolver.finish_planned();
    let titles = std::mem::take(&mut sink.titles.names);
    let cues = std::mem::take(&mut sink.cues.names);
    Ok(Spilled {
        errors,
        duplicates,
        resolved,
        plan,
        sink,
        titles,
        cues,
        dir,
    })
}

/// Nesting depth of a node or an edge in the graph file (`{"nodes": [NODE]}`).
const NODE_DEPTH: usize = 2;
/// Nesting depth of a document (`{"graph": {"documents": [DOC]}}`).
const DOCUMENT_DEPTH: usize = 3;

/// The elements of a pretty-printed JSON array at `depth`.
struct Items {
    n: usize,
    depth: usize,
}

impl Items {
    fn new(depth: usize) -> Items {
        Items { n: 0, depth }
    }
    /// Starts the next element.
    fn next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.n == 0 { b"[\n" } else { b",\n" })?;
        indent(out, self.depth)?;
        self.n += 1;
        Ok(())
    }
    fn close(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.n == 0 {
            return out.write_all(b"[]");
        }
        out.write_all(b"\n")?;
        indent(out, self.depth.saturating_sub(1))?;
        out.write_all(b"]")
    }
}

/// Sentences read back from the sentence file (the last one cached).
struct Sentences {
    file: File,
    at: Option<(u64, u32)>,
    text: String,
}

impl Sentences {
    fn get(&mut self, off: u64, len: u32) -> io::Result<&str> {
        if self.at != Some((off, len)) {
            let mut b = vec![0u8; len as usize];
            read_at(&mut self.file, off, &mut b)?;
            self.text = String::from_utf8(b).map_err(io::Error::other)?;
            self.at = Some((off, len));
        }
        Ok(&self.text)
    }
}

/// What the writer needs to print evidence.
struct EvWriter<'a> {
    docs: &'a DocumentIds,
    sentences: Sentences,
}

impl EvWriter<'_> {
    /// Writes one piece of evidence as serde_json pretty-prints [`Evidence`] at `depth`.
    fn write(&mut self, out: &mut dyn Write, e: &Ev, depth: usize) -> io::Result<()> {
        let doc = self.docs.get(e.doc as usize);
        out.write_all(b"{\n")?;
        indent(out, depth + 1)?;
        out.write_all(b"\"doc\": ")?;
        serde_json::to_writer(&mut *out, doc)?;
        out.write_all(b",\n")?;
        indent(out, depth + 1)?;
        writeln!(out, "\"start\": {},", e.start)?;
        indent(out, depth + 1)?;
        writeln!(out, "\"end\": {},", e.end)?;
        indent(out, depth + 1)?;
        out.write_all(b"\"sentence\": ")?;
        let s = self.sentences.get(e.off, e.len)?;
        serde_json::to_writer(&mut *out, s)?;
        out.write_all(b"\n")?;
        indent(out, depth)?;
        out.write_all(b"}")
    }

    /// Writes `object` (pretty JSON at `depth`, from [`to_vec_pretty_at`], with
    /// `"FIELD": []`) with the evidence `evs` in that array.
    fn spliced(
        &mut self,
        out: &mut dyn Write,
        object: &[u8],
        field: &str,
        evs: impl IntoIterator<Item = Ev>,
        depth: usize,
    ) -> io::Result<()> {
        let pattern = format!("\n{}\"{field}\": []", "  ".repeat(depth + 1));
        let Some(at) = find(object, pattern.as_bytes()) else {
            return out.write_all(object);
        };
        let split = at + pattern.len() - 2;
        out.write_all(&object[..split])?;
        let mut items = Items::new(depth + 2);
        for e in evs {
            items.next(out)?;
            self.write(out, &e, depth + 2)?;
        }
        items.close(out)?;
        out.write_all(&object[split + 2..])
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[derive(Serialize)]
struct Head<'a> {
    schema: &'a str,
    version: u32,
    directed: bool,
    multigraph: bool,
    graph: HeadMeta<'a>,
    nodes: [(); 0],
    edges: [(); 0],
}

#[derive(Serialize)]
struct HeadMeta<'a> {
    documents: &'a [DocumentInfo],
}

/// An edge as `export::json` writes it, with an empty `"evidence": []` to splice into.
fn edge_bytes(edge: &EdgeRef) -> io::Result<Vec<u8>> {
    to_vec_pretty_at(edge, NODE_DEPTH)
}

fn corrupt(what: &str) -> io::Error {
    io::Error::other(format!("low-memory build: {what}"))
}

/// Reads a little-endian u32 from a stream.
fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_ev(r: &mut impl Read) -> io::Result<Ev> {
    let mut b = [0u8; Ev::SIZE];
    r.read_exact(&mut b)?;
    Ok(Ev::get(&b))
}

/// One event as spilled: its node JSON (mentions empty), id, mentions and participants
/// at the end of its document.
fn read_event(r: &mut impl Read) -> io::Result<(Vec<u8>, Vec<Ev>, Vec<Part>)> {
    let n = read_u32(r)? as usize;
    let mut json = vec![0u8; n];
    r.read_exact(&mut json)?;
    let m = read_u32(r)? as usize;
    let mut mentions = Vec::with_capacity(m.min(1 << 16));
    for _ in 0..m {
        mentions.push(read_ev(r)?);
    }
    let p = read_u32(r)? as usize;
    let mut parts = Vec::with_capacity(p.min(1 << 16));
    for _ in 0..p {
        let mut role = [0u8; 1];
        r.read_exact(&mut role)?;
        let entity = read_u32(r)?;
        parts.push((role_of(role[0]), entity, read_ev(r)?));
    }
    Ok((json, mentions, parts))
}

/// Event ids read back by event index.
struct EventIds {
    index: File,
    ids: File,
}

impl EventIds {
    /// Bytes per event in the index: id offset and length, then whether it is dated and
    /// its interval (days from the common era).
    const SIZE: usize = 24;

    fn get(&mut self, k: u32) -> io::Result<String> {
        let mut b = [0u8; Self::SIZE];
        read_at(&mut self.index, u64::from(k) * Self::SIZE as u64, &mut b)?;
        let mut id = vec![0u8; u32_at(&b, 8) as usize];
        read_at(&mut self.ids, u64_at(&b, 0), &mut id)?;
        String::from_utf8(id).map_err(io::Error::other)
    }

    /// The interval of event `k` (first day, day after), in days, if it is dated.
    fn interval(&mut self, k: u32) -> io::Result<Option<(i32, i32)>> {
        let mut b = [0u8; Self::SIZE];
        read_at(&mut self.index, u64::from(k) * Self::SIZE as u64, &mut b)?;
        let day = |i: usize| i32::from_le_bytes(b[i..i + 4].try_into().unwrap_or_default());
        Ok((u32_at(&b, 12) == 1).then(|| (day(16), day(20))))
    }
}

/// The number of contradictions among `before` edges (event pairs), as
/// [`crate::graph::KnowledgeGraph::contradictions`] counts them: `dates` conflicts found by
/// the caller, plus the cycles (strongly connected groups of two events or more) of the
/// other edges when a textual edge is among them.
fn count_cycles(mut edges: Vec<(u32, u32)>) -> usize {
    // This runs at the end of a build, when the edge list is the largest thing in memory:
    // events are renumbered densely in place (binary search in their sorted list, no hash
    // map), the graph is a compressed sparse row table (4 bytes an edge), and the groups
    // are counted as Tarjan's algorithm finds them rather than collected.
    let mut nodes: Vec<u32> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    let at = |e: u32| nodes.binary_search(&e).unwrap_or(0) as u32;
    for (a, b) in edges.iter_mut() {
        (*a, *b) = (at(*a), at(*b));
    }
    drop(nodes);
    edges.sort_unstable();
    edges.dedup();
    let Ok(g) = petgraph::csr::Csr::<(), (), petgraph::Directed, u32>::from_sorted_edges(&edges)
    else {
        return 0; // unreachable: the edges were just sorted
    };
    drop(edges);
    let mut groups = 0;
    petgraph::algo::TarjanScc::new().run(&g, |scc| groups += usize::from(scc.len() > 1));
    groups
}

impl Spilled {
    /// Number of documents in the graph.
    pub fn document_count(&self) -> usize {
        self.sink.n_documents
    }

    /// The documents of the graph, in input order, read back from their file.
    pub fn documents(&self) -> io::Result<Vec<DocumentInfo>> {
        let mut out = Vec::new();
        for line in open(&self.sink.documents.path)?.lines() {
            out.push(serde_json::from_str(&line?).map_err(io::Error::other)?);
        }
        Ok(out)
    }

    /// Writes the graph as pretty-printed JSON, the same bytes as
    /// [`crate::export::json::write`] writes for the graph an in-memory build makes, and
    /// returns the number of contradictions in its event order (what
    /// [`crate::graph::KnowledgeGraph::contradictions`] finds, counted).
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<usize> {
        if self.plan.ties {
            return Err(corrupt(
                "two entities with the same kind and name: use the in-memory build",
            ));
        }
        let dir = self.dir.path();
        let docs = &self.plan.documents;
        let entities = &self.resolved.entities;
        let plan = &self.plan;
        let mut by_id: Vec<usize> = (0..docs.len()).collect();
        by_id.sort_by(|&a, &b| docs.get(a).cmp(docs.get(b)));
        let mut rank = vec![0u32; docs.len()];
        for (r, &d) in by_id.iter().enumerate() {
            rank[d] = r as u32;
        }
        let rank = &rank;
        let mut evw = EvWriter {
            docs,
            sentences: Sentences {
                file: File::open(&self.sink.sentences.path)?,
                at: None,
                text: String::new(),
            },
        };

        let head = serde_json::to_vec_pretty(&Head {
            schema: crate::export::json::SCHEMA,
            version: crate::export::json::VERSION,
            directed: true,
            multigraph: true,
            graph: HeadMeta { documents: &[] },
            nodes: [],
            edges: [],
        })
        .map_err(io::Error::other)?;
        // The documents, streamed from their file into the header.
        let field = b"\n    \"documents\": ";
        let at = find(&head, field).ok_or_else(|| corrupt("header"))? + field.len();
        out.write_all(&head[..at])?;
        let mut items = Items::new(3);
        for line in open(&self.sink.documents.path)?.lines() {
            let d: DocumentInfo = serde_json::from_str(&line?).map_err(io::Error::other)?;
            items.next(out)?;
            out.write_all(&to_vec_pretty_at(&d, DOCUMENT_DEPTH)?)?;
        }
        items.close(out)?;
        let head = head.get(at + 2..).unwrap_or_default();
        let tail = b"\n  \"nodes\": []";
        let at = find(head, tail).ok_or_else(|| corrupt("header"))?;
        out.write_all(&head[..at])?;
        out.write_all(b"\n  \"nodes\": ")?;

        // Entity nodes, their mentions grouped by final entity.
        let mut nodes = Items::new(2);
        let mut used: HashSet<String> = HashSet::new();
        let mut entity_ids = Vec::with_capacity(entities.len());
        let holder = &plan.holder;
        let sorted = &plan.sorted;
        let mention_key = |r: &MentionRec| {
            holder
                .get(r.entity as usize)
                .copied()
                .filter(|&h| h != usize::MAX)
        };
        let buckets = bucketize(
            dir,
            "mentions",
            &self.sink.mentions.path,
            entities.len(),
            BUCKET_BYTES,
            mention_key,
        )?;
        let mut grouped =
            Grouped::new(
                buckets,
                mention_key,
                1,
                |a: &MentionRec, b| match mention_key(a) {
                    Some(h) if sorted.get(h) == Some(&true) => a.ev.key(rank).cmp(&b.ev.key(rank)),
                    _ => std::cmp::Ordering::Equal,
                },
            );
        let mut merge_lines = File::open(&self.sink.merges.path)?;
        for (n, e) in entities.iter().enumerate() {
            let kind = NodeKind::from(e.kind);
            let id = unique_id(format!("{}:{}", kind.as_str(), slug(&e.label)), &used);
            used.insert(id.clone());
            let mut merges = Vec::new();
            for part in plan.merges.get(n).map(Vec::as_slice).unwrap_or_default() {
                match part {
                    MergePart::Line(l) => merges.push(l.clone()),
                    MergePart::Fold(i) => {
                        for &(off, len) in self
                            .sink
                            .merges_at
                            .get(*i)
                            .map(Vec::as_slice)
                            .unwrap_or_default()
                        {
                            let mut b = vec![0u8; len as usize];
                            read_at(&mut merge_lines, off, &mut b)?;
                            merges.push(String::from_utf8(b).map_err(io::Error::other)?);
                        }
                    }
                }
            }
            let node = Node {
                id: id.clone(),
                kind,
                label: e.label.clone(),
                aliases: e.aliases.iter().cloned().collect(),
                mentions: Vec::new(),
                event: None,
                merges,
                external_id: e.external_id.clone(),
            };
            entity_ids.push(id);
            let json = to_vec_pretty_at(&node, NODE_DEPTH)?;
            let mentions = grouped.take(n)?;
            nodes.next(out)?;
            evw.spliced(
                out,
                &json,
                "mentions",
                mentions.iter().map(|r| r.ev),
                NODE_DEPTH,
            )?;
        }
        drop(grouped);

        // Event nodes, in order; their participant edges go to a file meanwhile.
        let n_events = self.sink.events_seen;
        let event_block = |r: &ExtraRec| Some(r.event as usize / EVENT_BLOCK);
        let buckets = bucketize(
            dir,
            "extras",
            &self.sink.extras.path,
            n_events / EVENT_BLOCK + 1,
            BUCKET_BYTES,
            event_block,
        )?;
        let mut extras = Grouped::new(
            buckets,
            |r: &ExtraRec| Some(r.event as usize),
            EVENT_BLOCK,
            |_: &ExtraRec, _: &ExtraRec| std::cmp::Ordering::Equal,
        );
        let mut part_edges = Out::create(dir, "participant-edges")?;
        let mut events = open(&self.sink.events.path)?;
        let mut ids = EventIds {
            index: File::open(&self.sink.id_index.path)?,
            ids: File::open(&self.sink.ids.path)?,
        };
        let mut edge = Vec::new();
        for k in 0..n_events {
            let (json, mut mentions, mut parts) = read_event(&mut events)?;
            let id = ids.get(k as u32)?;
            for x in extras.take(k)? {
                if x.participant {
                    parts.push((role_of(x.role), x.entity, x.ev));
                } else {
                    mentions.push(x.ev);
                }
            }
            nodes.next(out)?;
            evw.spliced(out, &json, "mentions", mentions.iter().copied(), NODE_DEPTH)?;
            // The first link of each (role, entity) stays (later ones were never added),
            // then entities are remapped, sorted and deduplicated as `finish` does.
            let mut seen: Vec<(Role, u32)> = Vec::new();
            let mut links: Vec<(Role, usize, Ev)> = Vec::new();
            for (role, entity, ev) in parts {
                if seen.contains(&(role, entity)) {
                    continue;
                }
                seen.push((role, entity));
                let to = plan
                    .remap
                    .get(entity as usize)
                    .copied()
                    .filter(|&t| t < entities.len())
                    .ok_or_else(|| corrupt("a participant without an entity"))?;
                links.push((role, to, ev));
            }
            links.sort_by_key(|a| (a.0, a.1, a.2.key(rank)));
            links.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
            let mut pairs: Vec<(bool, usize)> = Vec::new();
            for (role, to, ev) in links {
                let entity_id = entity_ids[to].as_str();
                let is_place = entities[to].kind == crate::entities::EntityKind::Location;
                let (source, target, relation, from_entity) = match role {
                    Role::Agent => (entity_id, id.as_str(), Relation::Agent, true),
                    Role::Patient => (id.as_str(), entity_id, Relation::Patient, false),
                    Role::Other if is_place => (id.as_str(), entity_id, Relation::LocatedIn, false),
                    Role::Other => (id.as_str(), entity_id, Relation::Participant, false),
                };
                let key = pairs.iter().filter(|p| **p == (from_entity, to)).count();
                pairs.push((from_entity, to));
                let json = edge_bytes(&EdgeRef {
                    source,
                    target,
                    key,
                    relation,
                    title: None,
                    evidence: &[],
                })?;
                edge.clear();
                evw.spliced(&mut edge, &json, "evidence", [ev], NODE_DEPTH)?;
                edge.push(0);
                part_edges.write(&edge)?;
            }
        }
        drop(extras);
        part_edges.w.flush()?;
        nodes.close(out)?;
        out.write_all(b",\n  \"edges\": ")?;
        let mut edges = Items::new(2);

        // Role edges: links sorted by (person, organization, title, evidence), one edge
        // per (person, organization, title).
        let remap = |i: u32| {
            plan.remap
                .get(i as usize)
                .copied()
                .filter(|&t| t < entities.len())
        };
        let title_rank = Interner {
            index: HashMap::new(),
            names: self.titles.clone(),
        }
        .ranks();
        let role_key = |r: &LinkRec| {
            if r.b == u32::MAX {
                None
            } else {
                remap(r.a)
            }
        };
        let buckets = bucketize(
            dir,
            "roles",
            &self.sink.roles.path,
            entities.len(),
            BUCKET_BYTES,
            role_key,
        )?;
        let role_sort = |r: &LinkRec| {
            (
                remap(r.b),
                title_rank.get(r.title as usize).copied(),
                r.ev.key(rank),
            )
        };
        let mut roles = Grouped::new(buckets, role_key, 1, |a: &LinkRec, b: &LinkRec| {
            role_sort(a).cmp(&role_sort(b))
        });
        for person in 0..entities.len() {
            let links = roles.take(person)?;
            let mut i = 0;
            let mut key = 0;
            let mut last_org = None;
            while i < links.len() {
                let org = remap(links[i].b).ok_or_else(|| corrupt("a role without an entity"))?;
                let title = links[i].title;
                let mut j = i;
                let mut evs: Vec<Ev> = Vec::new();
                while j < links.len() && remap(links[j].b) == Some(org) && links[j].title == title {
                    if evs.last() != Some(&links[j].ev) {
                        evs.push(links[j].ev);
                    }
                    j += 1;
                }
                i = j;
                if org == person {
                    continue;
                }
                if last_org == Some(org) {
                    key += 1;
                } else {
                    key = 0;
                    last_org = Some(org);
                }
                let title = self
                    .titles
                    .get(title as usize)
                    .map(String::as_str)
                    .unwrap_or("");
                let json = edge_bytes(&EdgeRef {
                    source: &entity_ids[person],
                    target: &entity_ids[org],
                    key,
                    relation: Relation::Role,
                    title: Some(title),
                    evidence: &[],
                })?;
                edges.next(out)?;
                evw.spliced(out, &json, "evidence", evs, NODE_DEPTH)?;
            }
        }
        drop(roles);

        // Participant edges, in event order.
        let mut r = open(&part_edges.path)?;
        let mut item = Vec::new();
        loop {
            item.clear();
            if r.read_until(0, &mut item)? == 0 {
                break;
            }
            if item.last() == Some(&0) {
                item.pop();
            }
            edges.next(out)?;
            out.write_all(&item)?;
        }
        drop(r);
        let _ = std::fs::remove_file(&part_edges.path);

        // `before` edges from dates, by document id; noting those a textual cue repeats.
        let mut textual: HashSet<(u32, u32)> = HashSet::new();
        {
            let mut r = open(&self.sink.orders.path)?;
            let mut buf = vec![0u8; LinkRec::SIZE];
            while read_record(&mut r, &mut buf)? {
                let o = LinkRec::get(&buf);
                textual.insert((o.a, o.b));
            }
        }
        let mut dated_too: HashSet<(u32, u32)> = HashSet::new();
        // The `before` relation, for counting contradictions: date edges, then the textual
        // edges the dates do not contradict.
        let mut order_edges: Vec<(u32, u32)> = Vec::new();
        let (mut date_conflicts, mut textual_kept) = (0, false);
        let mut dated = File::open(&self.sink.dated.path)?;
        for &d in &by_id {
            let Some(&(begin, n)) = self.sink.dated_blocks.get(d) else {
                continue;
            };
            let mut b = vec![0u8; n as usize * 8];
            read_at(&mut dated, begin * 8, &mut b)?;
            for pair in b.chunks_exact(8) {
                let (x, y) = (u32_at(pair, 0), u32_at(pair, 4));
                if textual.contains(&(x, y)) {
                    dated_too.insert((x, y));
                }
                order_edges.push((x, y));
                let (sx, sy) = (ids.get(x)?, ids.get(y)?);
                let json = edge_bytes(&EdgeRef {
                    source: &sx,
                    target: &sy,
                    key: 0,
                    relation: Relation::Before,
                    title: None,
                    evidence: &[],
                })?;
                edges.next(out)?;
                out.write_all(&json)?;
            }
        }
        drop(textual);

        // Textual `before` edges: cues sorted by (before, after, cue, evidence), one edge
        // per (before, after, cue).
        let cue_rank = Interner {
            index: HashMap::new(),
            names: self.cues.clone(),
        }
        .ranks();
        let order_block = |r: &LinkRec| Some(r.a as usize / EVENT_BLOCK);
        let buckets = bucketize(
            dir,
            "orders",
            &self.sink.orders.path,
            n_events / EVENT_BLOCK + 1,
            BUCKET_BYTES,
            order_block,
        )?;
        let order_sort =
            |r: &LinkRec| (r.b, cue_rank.get(r.title as usize).copied(), r.ev.key(rank));
        let mut orders = Grouped::new(
            buckets,
            |r: &LinkRec| Some(r.a as usize),
            EVENT_BLOCK,
            |a: &LinkRec, b: &LinkRec| order_sort(a).cmp(&order_sort(b)),
        );
        for before in 0..n_events {
            let cues = orders.take(before)?;
            if cues.is_empty() {
                continue;
            }
            let source = ids.get(before as u32)?;
            let mut i = 0;
            let mut last_after = None;
            let mut key = 0;
            while i < cues.len() {
                let (after, cue) = (cues[i].b, cues[i].title);
                let mut j = i;
                let mut evs: Vec<Ev> = Vec::new();
                while j < cues.len() && cues[j].b == after && cues[j].title == cue {
                    if evs.last() != Some(&cues[j].ev) {
                        evs.push(cues[j].ev);
                    }
                    j += 1;
                }
                i = j;
                if after as usize >= n_events || after as usize == before {
                    continue;
                }
                if last_after == Some(after) {
                    key += 1;
                } else {
                    key = usize::from(dated_too.contains(&(before as u32, after)));
                    last_after = Some(after);
                }
                let target = ids.get(after)?;
                match (ids.interval(before as u32)?, ids.interval(after)?) {
                    (Some((a_start, _)), Some((_, b_end))) if b_end <= a_start => {
                        date_conflicts += 1;
                    }
                    _ => {
                        textual_kept = true;
                        order_edges.push((before as u32, after));
                    }
                }
                let title = self.cues.get(cue as usize).map(String::as_str);
                let json = edge_bytes(&EdgeRef {
                    source: &source,
                    target: &target,
                    key,
                    relation: Relation::Before,
                    title: Some(title.unwrap_or("")),
                    evidence: &[],
                })?;
                edges.next(out)?;
                evw.spliced(out, &json, "evidence", evs, NODE_DEPTH)?;
            }
        }
        edges.close(out)?;
        out.write_all(b"\n}\n")?;
        drop((orders, dated_too, evw, ids));
        let cycles = if textual_kept {
            count_cycles(order_edges)
        } else {
            0
        };
        Ok(date_conflicts + cycles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(doc: u32, start: u64, end: u64, off: u64, len: u32) -> Ev {
        Ev {
            doc,
            start,
            end,
            off,
            len,
        }
    }

    #[test]
    fn records_read_back_what_was_written() {
        let evs = [
            ev(0, 0, 0, 0, 0),
            ev(7, 12, 19, 1 << 40, 300),
            ev(u32::MAX, u64::MAX, u64::MAX - 1, u64::MAX, u32::MAX),
        ];
        for e in evs {
            let mut b = Vec::new();
            let m = MentionRec { entity: 9, ev: e };
            m.put(&mut b);
            assert_eq!(b.len(), MentionRec::SIZE);
            let back = MentionRec::get(&b);
            assert_eq!((back.entity, back.ev), (9, e));
            b.clear();
            let l = LinkRec {
                a: 1,
                b: u32::MAX,
                title: 3,
                ev: e,
            };
            l.put(&mut b);
            assert_eq!(b.len(), LinkRec::SIZE);
            let back = LinkRec::get(&b);
            assert_eq!((back.a, back.b, back.title, back.ev), (1, u32::MAX, 3, e));
            for role in [Role::Agent, Role::Patient, Role::Other] {
                b.clear();
                let x = ExtraRec {
                    event: 5,
                    participant: role != Role::Agent,
                    role: role_code(role),
                    entity: 8,
                    ev: e,
                };
                x.put(&mut b);
                assert_eq!(b.len(), ExtraRec::SIZE);
                let back = ExtraRec::get(&b);
                assert_eq!(
                    (
                        back.event,
                        back.participant,
                        role_of(back.role),
                        back.entity
                    ),
                    (5, role != Role::Agent, role, 8)
                );
                assert_eq!(back.ev, e);
            }
        }
        // A short (corrupt) record reads as zeros instead of panicking.
        assert_eq!(Ev::get(&[1, 0]), ev(0, 0, 0, 0, 0));
    }

    #[test]
    fn cycles_are_counted_as_strongly_connected_groups() {
        let cases: [(&[(u32, u32)], usize); 5] = [
            (&[], 0),
            (&[(1, 2), (2, 3)], 0),
            (&[(1, 2), (2, 1)], 1),
            (&[(1, 2), (2, 3), (3, 1), (3, 4), (7, 8), (8, 7), (8, 8)], 2),
            (&[(5, 5)], 0),
        ];
        for (edges, want) in cases {
            assert_eq!(count_cycles(edges.to_vec()), want, "{edges:?}");
        }
    }

    #[test]
    fn ids_are_unique_as_the_graph_makes_them() {
        let used: HashSet<String> = ["a", "a-2", "b"].iter().map(|s| s.to_string()).collect();
        for (base, want) in [("a", "a-3"), ("b", "b-2"), ("c", "c"), ("a-2", "a-2-2")] {
            assert_eq!(unique_id(base.to_string(), &used), want);
        }
    }

    /// Evidence and nodes written by hand and spliced equal serde_json's pretty output of
    /// the same values, at every depth.
    #[test]
    fn spliced_arrays_print_as_serde_json_pretty_prints() {
        let dir = tempfile::tempdir().unwrap();
        let sentences = [
            "Hamas rejected it.",
            "Il a dit \u{ab}non\u{bb}.\n\t\"quoted\"",
        ];
        let path = dir.path().join("s");
        std::fs::write(&path, sentences.concat()).unwrap();
        let mut docs = DocumentIds::default();
        docs.push("doc \"1\"");
        let l0 = sentences[0].len() as u32;
        let l1 = sentences[1].len() as u32;
        let all = [
            ev(0, 0, 5, 0, l0),
            ev(0, 3, 9, u64::from(l0), l1),
            ev(0, 7, 8, 0, l0),
        ];
        let evidence = |e: &Ev| Evidence {
            doc: docs.get(0).into(),
            start: e.start as usize,
            end: e.end as usize,
            sentence: if e.off == 0 {
                sentences[0]
            } else {
                sentences[1]
            }
            .into(),
        };
        let mut w = EvWriter {
            docs: &docs,
            sentences: Sentences {
                file: File::open(&path).unwrap(),
                at: None,
                text: String::new(),
            },
        };
        for n in 0..=all.len() {
            let mut node = Node {
                id: "person:x".into(),
                kind: NodeKind::Person,
                label: "X".into(),
                aliases: vec!["Y".into()],
                mentions: Vec::new(),
                event: None,
                merges: if n == 1 { vec!["m".into()] } else { Vec::new() },
                external_id: None,
            };
            let empty = to_vec_pretty_at(&node, NODE_DEPTH).unwrap();
            node.mentions = all[..n].iter().map(evidence).collect();
            // Inside an array at depth 2, as the nodes of the graph.
            #[derive(Serialize)]
            struct Wrap {
                nodes: Vec<Node>,
            }
            let want = serde_json::to_vec_pretty(&Wrap { nodes: vec![node] }).unwrap();
            let mut got = b"{\n  \"nodes\": ".to_vec();
            let mut items = Items::new(2);
            items.next(&mut got).unwrap();
            w.spliced(
                &mut got,
                &empty,
                "mentions",
                all[..n].iter().copied(),
                NODE_DEPTH,
            )
            .unwrap();
            items.close(&mut got).unwrap();
            got.extend_from_slice(b"\n}");
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap(),
                "{n} mentions"
            );
        }
        let mut none = Vec::new();
        Items::new(3).close(&mut none).unwrap();
        assert_eq!(none, b"[]");
    }

    #[test]
    fn buckets_group_records_by_key_in_order_whatever_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        let mut b = Vec::new();
        // Keys out of order, some dropped (key 9), one key much larger than a bucket.
        let keys: Vec<u32> = (0..400u32).map(|i| (i * 7 + i / 50) % 10).collect();
        for (i, &k) in keys.iter().enumerate() {
            MentionRec {
                entity: k,
                ev: ev(0, i as u64, 0, 0, 0),
            }
            .put(&mut b);
        }
        std::fs::write(&src, &b).unwrap();
        let key = |r: &MentionRec| (r.entity != 9).then_some(r.entity as usize);
        for budget in [1, 36 * 10, 36 * 100, 1 << 20] {
            let buckets = bucketize(dir.path(), "b", &src, 10, budget, key).unwrap();
            let mut g = Grouped::new(buckets, key, 1, |_: &MentionRec, _: &MentionRec| {
                std::cmp::Ordering::Equal
            });
            for k in 0..10usize {
                let got: Vec<u64> = g.take(k).unwrap().iter().map(|r| r.ev.start).collect();
                let want: Vec<u64> = if k == 9 {
                    Vec::new()
                } else {
                    (0..keys.len())
                        .filter(|&i| keys[i] as usize == k)
                        .map(|i| i as u64)
                        .collect()
                };
                assert_eq!(got, want, "key {k}, budget {budget}");
            }
        }
    }
}
