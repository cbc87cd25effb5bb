//! Stage 3a: entities. Finds mentions of people, organizations and places, and the
//! role cues ("press secretary" of "White House") that link them.

use crate::pos::Pos;
use crate::text::{Sentence, Span, Token};
use serde::{Deserialize, Serialize};

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, government body, party, group or other organization.
    Organization,
    /// A country, city, region or other place.
    Location,
}

/// One mention of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityMention {
    /// Where the mention is in the original text (byte offsets): the name only, never a title.
    pub span: Span,
    /// What it is.
    pub kind: EntityKind,
    /// The canonical name this mention points to when it is a derived form, e.g.
    /// "Israel" for the adjective "Israeli"; `None` when the surface text is the name.
    pub canonical: Option<String>,
}

/// A role cue: `person` holds `title` in `organization` ("White House press secretary
/// Karoline Leavitt", "Hamas's spokesman, Hazem Qassem").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMention {
    /// Index into [`Entities::mentions`] of the person.
    pub person: usize,
    /// The title, lower-cased ("press secretary", "prime minister").
    pub title: String,
    /// Index into [`Entities::mentions`] of the organization or place, when the text names one.
    pub organization: Option<usize>,
    /// Where the whole cue is in the text, for evidence.
    pub span: Span,
}

/// All entity mentions and role cues of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entities {
    /// Mentions in text order.
    pub mentions: Vec<EntityMention>,
    /// Role cues between mentions.
    pub roles: Vec<RoleMention>,
}

/// Finds the entity mentions and role cues of one document. `pos` holds one tag per token.
pub fn find_entities(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    pos: &[Pos],
) -> Entities {
    let _ = (text, tokens, sentences, pos);
    Entities::default()
}
