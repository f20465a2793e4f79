//! JSON Schemas of the stored payloads, committed under `event-schemas/schemas/` for
//! downstream consumers. `cargo test` regenerates them and fails on drift;
//! `UPDATE_SCHEMAS=1 cargo test -p event-schemas` rewrites them.

use schemars::{schema_for, Schema};

use crate::applicatie::ApplicatieEvent;
use crate::besluit::BesluitEvent;
use crate::catalogus::{CatalogusEvent, CatalogusObjectEvent};
use crate::claim::ClaimEvent;
use crate::contactgegevens::{OrganisatieEvent, PersoonEvent};
use crate::document::DocumentEvent;
use crate::envelope::Envelope;
use crate::klantinteracties::klantcontact::KlantcontactEvent;
use crate::klantinteracties::overig::{
    ActorEvent, CategorieEvent, CategorieRelatieEvent, InternetaakEvent,
};
use crate::klantinteracties::partij::PartijEvent;
use crate::notificaties::{AbonnementEvent, KanaalEvent, NotificatieEvent};
use crate::zaak::ZaakEvent;

/// Every committed schema: file name and schema.
pub fn all() -> Vec<(String, Schema)> {
    let mut out = vec![("envelope.json".to_owned(), schema_for!(Envelope))];
    out.extend(ClaimEvent::schemas());
    out.extend(ApplicatieEvent::schemas());
    out.extend(ZaakEvent::schemas());
    out.extend(CatalogusEvent::schemas());
    out.extend(CatalogusObjectEvent::schemas());
    out.extend(BesluitEvent::schemas());
    out.extend(DocumentEvent::schemas());
    out.extend(KanaalEvent::schemas());
    out.extend(AbonnementEvent::schemas());
    out.extend(NotificatieEvent::schemas());
    out.extend(PartijEvent::schemas());
    out.extend(KlantcontactEvent::schemas());
    out.extend(InternetaakEvent::schemas());
    out.extend(ActorEvent::schemas());
    out.extend(CategorieEvent::schemas());
    out.extend(CategorieRelatieEvent::schemas());
    out.extend(PersoonEvent::schemas());
    out.extend(OrganisatieEvent::schemas());
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn committed_json_schemas_match_the_code() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
        for (name, schema) in super::all() {
            let path = dir.join(&name);
            let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &generated).unwrap();
                continue;
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                committed, generated,
                "{name} drifted from the code: if the change is intended (and old payloads \
                 still decode), run UPDATE_SCHEMAS=1 cargo test -p event-schemas"
            );
        }
    }
}
