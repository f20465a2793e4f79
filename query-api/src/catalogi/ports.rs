//! The adapters of the catalogi write side's port (`commands::catalogi::CatalogiPorts`):
//! the catalogi read model (`references`, `reads`) and the Selectielijst API over HTTP
//! (`selectielijst`).

use async_trait::async_trait;
use commands::catalogi::{CatalogiPorts, Strict};
use commands::WriteError;
use domain::catalogus_object::{CatalogusObject, Facts, Selectielijstklasse};
use domain::urls::Urls;
use event_schemas::catalogus::{ObjectAttributes, ObjectKind};
use serde_json::Value;
use uuid::Uuid;

use super::{reads, references, selectielijst};
use crate::AppState;

/// [`CatalogiPorts`] on the application's state.
pub struct Adapters<'a>(pub &'a AppState);

#[async_trait]
impl CatalogiPorts for Adapters<'_> {
    fn urls(&self) -> &Urls {
        &self.0.urls
    }

    async fn catalogus_of(
        &self,
        kind: ObjectKind,
        attributes: &ObjectAttributes,
    ) -> Result<Uuid, WriteError> {
        Ok(references::locate(self.0, kind, attributes).await?)
    }

    async fn facts(
        &self,
        kind: ObjectKind,
        current: Option<&CatalogusObject>,
        attributes: &ObjectAttributes,
        catalogus: Uuid,
        strict: Strict,
    ) -> Result<Facts, WriteError> {
        Ok(references::facts(self.0, kind, current, attributes, catalogus, strict).await?)
    }

    async fn served(&self, kind: ObjectKind, uuid: Uuid) -> Result<bool, WriteError> {
        Ok(reads::served(self.0, uuid, kind).await?)
    }

    async fn check_procestype(&self, url: &str) -> Result<(), WriteError> {
        Ok(selectielijst::check_procestype(self.0, url).await?)
    }

    async fn resultaattypeomschrijving(&self, url: &str) -> Result<Option<Value>, WriteError> {
        Ok(selectielijst::resultaattypeomschrijving(self.0, url).await?)
    }

    async fn selectielijstklasse(
        &self,
        url: &str,
    ) -> Result<Option<Selectielijstklasse>, WriteError> {
        Ok(selectielijst::selectielijstklasse(self.0, url).await?)
    }

    async fn zaaktype_procestype(&self, url: &str) -> Result<Option<String>, WriteError> {
        Ok(selectielijst::zaaktype_procestype(self.0, url).await?)
    }
}
