//! The per-document annotation format that `tkg extract` writes (one JSON line per
//! document, the shape of `shared/gold/FORMAT.md`, offsets in Unicode code points) and that
//! `tkg build` reads back, so extraction can run as a stateless map step anywhere and the
//! graph build as the reduce step.

use crate::annotate::{Annotated, CharIndex};
use crate::entities::{Entities, EntityKind, EntityMention, RoleMention};
use crate::error::{Error, Location, Result};
use crate::events::{EventMention, OrderLink, Participant, Role};
use crate::input::Document;
use crate::text::{self, Span};
use crate::time::{DateInterval, Timex, TimexType};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The version of this format, written in every line as `"tkg_annotations"`.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Line<'a> {
    tkg_annotations: u32,
    id: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    title: Option<Cow<'a, str>>,
    dct: Option<Cow<'a, str>>,
    /// Where the document was read from; absent in lines of older versions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    origin: Option<Cow<'a, str>>,
    text: Cow<'a, str>,
    entities: Vec<EntityOut<'a>>,
    roles: Vec<RoleOut<'a>>,
    timexes: Vec<TimexOut<'a>>,
    events: Vec<EventOut<'a>>,
    participants: Vec<ParticipantOut<'a>>,
    /// Textual ordering cues between events; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    order: Vec<OrderOut<'a>>,
}

/// A textual ordering cue: event `before` happened before event `after`, as the cue
/// words at `start..end` say.
#[derive(Serialize, Deserialize)]
struct OrderOut<'a> {
    before: Cow<'a, str>,
    after: Cow<'a, str>,
    cue: Cow<'a, str>,
    start: usize,
    end: usize,
}

#[derive(Serialize, Deserialize)]
struct EntityOut<'a> {
    /// The mention's extent as the gold format marks it.
    start: usize,
    end: usize,
    text: Cow<'a, str>,
    /// The name alone, which is what the graph cites.
    name_start: usize,
    name_end: usize,
    #[serde(rename = "type")]
    kind: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    canonical: Option<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
struct RoleOut<'a> {
    person: usize,
    title: Cow<'a, str>,
    organization: Option<usize>,
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    nominal: Option<(usize, usize)>,
}

#[derive(Serialize, Deserialize)]
struct TimexOut<'a> {
    start: usize,
    end: usize,
    text: Cow<'a, str>,
    #[serde(rename = "type")]
    kind: TimexType,
    value: Cow<'a, str>,
    rule: Cow<'a, str>,
    anchor: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    interval: Option<DateInterval>,
}

#[derive(Serialize, Deserialize)]
struct EventOut<'a> {
    id: Cow<'a, str>,
    start: usize,
    end: usize,
    text: Cow<'a, str>,
    pred: Cow<'a, str>,
    #[serde(rename = "type")]
    event_type: crate::events::EventType,
    nominal: bool,
    sentence: usize,
    timex: Option<usize>,
}

#[derive(Serialize, Deserialize)]
struct ParticipantOut<'a> {
    event: Cow<'a, str>,
    start: usize,
    end: usize,
    text: Cow<'a, str>,
    role: Role,
    entity: Option<usize>,
}

/// The gold-format type name of an entity kind.
pub fn kind_code(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "PERSON",
        EntityKind::Organization => "ORG",
        EntityKind::Location => "LOC",
    }
}

/// Writes one document's annotations as a single JSON line (with the trailing newline).
pub fn write_line(a: &Annotated, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let text = a.doc.text.as_str();
    let index = CharIndex::new(text);
    let c = |s: Span| (index.char_offset(s.start), index.char_offset(s.end));
    let entities = a
        .entities
        .mentions
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let extent = a.entity_extents.get(k).copied().unwrap_or(m.span);
            let (start, end) = c(extent);
            let (name_start, name_end) = c(m.span);
            EntityOut {
                start,
                end,
                text: Cow::Borrowed(extent.slice(text)),
                name_start,
                name_end,
                kind: Cow::Borrowed(kind_code(m.kind)),
                canonical: m.canonical.as_deref().map(Cow::Borrowed),
            }
        })
        .collect();
    let roles = a
        .entities
        .roles
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let (start, end) = c(r.span);
            RoleOut {
                person: r.person,
                title: Cow::Borrowed(&r.title),
                organization: r.organization,
                start,
                end,
                nominal: a.role_nominals.get(k).copied().flatten().map(c),
            }
        })
        .collect();
    let timexes = a
        .timexes
        .iter()
        .map(|t| {
            let (start, end) = c(t.span);
            TimexOut {
                start,
                end,
                text: Cow::Borrowed(t.span.slice(text)),
                kind: t.kind,
                value: Cow::Borrowed(&t.value),
                rule: Cow::Borrowed(&t.rule),
                anchor: Cow::Borrowed(&t.anchor),
                interval: t.interval,
            }
        })
        .collect();
    let mut events = Vec::new();
    let mut participants = Vec::new();
    for (k, e) in a.events.iter().enumerate() {
        let id: Cow<str> = Cow::Owned(format!("e{}", k + 1));
        let (start, end) = c(e.trigger);
        for p in &e.participants {
            let (ps, pe) = c(p.span);
            participants.push(ParticipantOut {
                event: id.clone(),
                start: ps,
                end: pe,
                text: Cow::Borrowed(p.span.slice(text)),
                role: p.role,
                entity: p.entity,
            });
        }
        events.push(EventOut {
            id,
            start,
            end,
            text: Cow::Borrowed(e.trigger.slice(text)),
            pred: Cow::Borrowed(&e.lemma),
            event_type: e.event_type,
            nominal: e.nominal,
            sentence: e.sentence,
            timex: e.timex,
        });
    }
    let order = a
        .order
        .iter()
        .map(|o| {
            let (start, end) = c(o.span);
            OrderOut {
                before: Cow::Owned(format!("e{}", o.before + 1)),
                after: Cow::Owned(format!("e{}", o.after + 1)),
                cue: Cow::Borrowed(&o.cue),
                start,
                end,
            }
        })
        .collect();
    let line = Line {
        tkg_annotations: FORMAT_VERSION,
        id: Cow::Borrowed(&a.doc.id),
        title: a.doc.title.as_deref().map(Cow::Borrowed),
        dct: a.doc.date.map(|d| Cow::Owned(d.to_string())),
        origin: Some(Cow::Borrowed(&a.doc.origin)),
        text: Cow::Borrowed(text),
        entities,
        roles,
        timexes,
        events,
        participants,
        order,
    };
    // One write of the whole line: serde_json writes token by token, and through `dyn Write`
    // each token would be a call into the caller's writer.
    let mut buf = Vec::with_capacity(2 * text.len() + 1024);
    serde_json::to_writer(&mut buf, &line)?;
    buf.push(b'\n');
    out.write_all(&buf)
}

/// Reads one annotation line back into an [`Annotated`] document: the text stage is
/// recomputed (it is cheap and deterministic), the rest is taken from the line.
pub fn read_line(line: &str, location: &Location) -> Result<Annotated> {
    let line = line.trim_end();
    let bad = |message: String| Error::BadDocument {
        location: location.clone(),
        message,
    };
    let l: Line =
        serde_json::from_str(line).map_err(|e| bad(format!("malformed annotation line: {e}")))?;
    if l.tkg_annotations != FORMAT_VERSION {
        return Err(bad(format!(
            "annotation format version {} is not {FORMAT_VERSION}",
            l.tkg_annotations
        )));
    }
    let text: &str = &l.text;
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let span = |s: usize, e: usize| -> Result<Span> {
        match (bytes.get(s), bytes.get(e)) {
            (Some(&bs), Some(&be)) if bs <= be => Ok(Span::new(bs, be)),
            _ => Err(bad(format!("offsets {s}..{e} are outside the text"))),
        }
    };
    let kind = |k: &str| match k {
        "PERSON" => Ok(EntityKind::Person),
        "ORG" => Ok(EntityKind::Organization),
        "LOC" => Ok(EntityKind::Location),
        other => Err(bad(format!("unknown entity type {other:?}"))),
    };
    let mut mentions = Vec::new();
    let mut entity_extents = Vec::new();
    for e in &l.entities {
        entity_extents.push(span(e.start, e.end)?);
        mentions.push(EntityMention {
            span: span(e.name_start, e.name_end)?,
            kind: kind(&e.kind)?,
            canonical: e.canonical.as_deref().map(str::to_string),
        });
    }
    let check = |i: usize| {
        if i < mentions.len() {
            Ok(i)
        } else {
            Err(bad(format!("entity index {i} out of range")))
        }
    };
    let mut roles = Vec::new();
    let mut role_nominals = Vec::new();
    for r in &l.roles {
        role_nominals.push(r.nominal.map(|(s, e)| span(s, e)).transpose()?);
        roles.push(RoleMention {
            person: check(r.person)?,
            title: r.title.to_string(),
            organization: r.organization.map(check).transpose()?,
            span: span(r.start, r.end)?,
        });
    }
    let mut timexes = Vec::new();
    for t in &l.timexes {
        timexes.push(Timex {
            span: span(t.start, t.end)?,
            kind: t.kind,
            value: t.value.to_string(),
            interval: t.interval,
            rule: t.rule.to_string(),
            anchor: t.anchor.to_string(),
        });
    }
    let tokens = text::tokenize(text);
    let sentences = text::split_sentences(text, &tokens);
    let mut events: Vec<EventMention> = Vec::new();
    let mut ids = std::collections::HashMap::new();
    for e in &l.events {
        if e.timex.is_some_and(|t| t >= timexes.len()) {
            return Err(bad(format!("event {} names a timex out of range", e.id)));
        }
        ids.insert(e.id.clone(), events.len());
        events.push(EventMention {
            trigger: span(e.start, e.end)?,
            lemma: e.pred.to_string(),
            nominal: e.nominal,
            event_type: e.event_type,
            sentence: e.sentence.min(sentences.len().saturating_sub(1)),
            participants: Vec::new(),
            timex: e.timex,
        });
    }
    for p in &l.participants {
        let k = *ids
            .get(&p.event)
            .ok_or_else(|| bad(format!("participant of unknown event {:?}", p.event)))?;
        events[k].participants.push(Participant {
            role: p.role,
            span: span(p.start, p.end)?,
            entity: p.entity.map(check).transpose()?,
        });
    }
    let mut order = Vec::new();
    for o in &l.order {
        let event = |id: &Cow<str>| {
            ids.get(id)
                .copied()
                .ok_or_else(|| bad(format!("ordering cue names unknown event {id:?}")))
        };
        order.push(OrderLink {
            before: event(&o.before)?,
            after: event(&o.after)?,
            cue: o.cue.to_string(),
            span: span(o.start, o.end)?,
        });
    }
    let date = l
        .dct
        .as_deref()
        .map(crate::input::parse_date)
        .transpose()
        .map_err(|e| bad(e.to_string()))?;
    let pos = vec![crate::pos::Pos::Other; tokens.len()];
    Ok(Annotated {
        doc: Document {
            id: l.id.into_owned(),
            title: l.title.map(Cow::into_owned),
            date,
            origin: l
                .origin
                .map(Cow::into_owned)
                .unwrap_or_else(|| location.to_string()),
            text: l.text.into_owned(),
            annotations: None,
        },
        tokens,
        sentences,
        pos,
        entities: Entities { mentions, roles },
        entity_extents,
        role_nominals,
        timexes,
        events,
        order,
    })
}
