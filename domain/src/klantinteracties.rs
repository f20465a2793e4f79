//! The Klantinteracties API's aggregates (Open Klant 2.x's 0.9.0) and the Contactgegevens
//! API's: each decides on its own stream; a rule across streams (an identificator unique
//! in the whole register, a referenced partij being an organisatie) is a fact or a claim
//! the command handler resolves.
//!
//! Errors carry the field name and code Open Klant answers with, so the API layer renders
//! them as problem+json `invalidParams` without knowing the rules.

pub mod internetaak;
pub mod klantcontact;
pub mod partij;
mod simple;
pub mod unruled;
pub(crate) use simple::simple_events;

pub use simple::{Applied, SimpleAggregate, SimpleCommand, SimpleObject, SimpleState};

use serde::Serialize;

/// Where and why a rule refused a request, as Open Klant's `invalidParams` say it.
pub trait InvalidParam: std::fmt::Display {
    /// The API's name of the field (`nonFieldErrors` for the object as a whole).
    fn field(&self) -> &'static str;
    /// The error code.
    fn code(&self) -> &'static str;
}

/// The API names of the top-level attributes that differ between two versions.
pub fn changed_fields<T: Serialize>(old: &T, new: &T) -> Vec<String> {
    let (old, new) = (
        serde_json::to_value(old).unwrap_or_default(),
        serde_json::to_value(new).unwrap_or_default(),
    );
    let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
        return Vec::new();
    };
    let mut names: Vec<String> = old
        .iter()
        .filter(|(k, v)| new.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    names.extend(new.keys().filter(|k| !old.contains_key(*k)).cloned());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_fields_names_what_differs_and_nothing_else() {
        let old = serde_json::json!({"naam": "a", "actief": true});
        let new = serde_json::json!({"naam": "b", "actief": true});
        assert_eq!(changed_fields(&old, &new), vec!["naam".to_owned()]);
    }
}
