//! What each path segment of an API names: the resource a collection holds (its
//! operationId prefix and schema name, as the standard's documents name them), or an
//! action endpoint with an operationId of its own. Operation ids follow the convention the
//! standard's documents share (`zaak_list`, `zaak_read`, `zaak_partial_update`,
//! `zaak__zoek`, `zaaktype_publish`), so clients that look operations up by id in an API's
//! document (gemma-zds-client, zgw-consumers' older clients) find them.

/// A path segment's meaning under one API.
pub enum Segment {
    /// A collection of resources: operationId prefix and schema name.
    Collection(&'static str, &'static str),
    /// An endpoint of its own: its operationId and the schema of its body.
    Action(&'static str, &'static str),
}

use Segment::{Action, Collection};

/// `(API prefix, path segment, meaning)`.
const SEGMENTS: &[(&str, &str, Segment)] = &[
    ("/zaken/api/v1", "zaken", Collection("zaak", "Zaak")),
    ("/zaken/api/v1", "statussen", Collection("status", "Status")),
    (
        "/zaken/api/v1",
        "resultaten",
        Collection("resultaat", "Resultaat"),
    ),
    ("/zaken/api/v1", "rollen", Collection("rol", "Rol")),
    (
        "/zaken/api/v1",
        "zaakobjecten",
        Collection("zaakobject", "ZaakObject"),
    ),
    (
        "/zaken/api/v1",
        "zaakinformatieobjecten",
        Collection("zaakinformatieobject", "ZaakInformatieObject"),
    ),
    (
        "/zaken/api/v1",
        "zaakeigenschappen",
        Collection("zaakeigenschap", "ZaakEigenschap"),
    ),
    (
        "/zaken/api/v1",
        "klantcontacten",
        Collection("klantcontact", "KlantContact"),
    ),
    (
        "/zaken/api/v1",
        "zaakcontactmomenten",
        Collection("zaakcontactmoment", "ZaakContactMoment"),
    ),
    (
        "/zaken/api/v1",
        "zaakverzoeken",
        Collection("zaakverzoek", "ZaakVerzoek"),
    ),
    (
        "/zaken/api/v1",
        "substatussen",
        Collection("substatus", "SubStatus"),
    ),
    (
        "/zaken/api/v1",
        "zaaknotities",
        Collection("zaaknotitie", "ZaakNotitie"),
    ),
    (
        "/zaken/api/v1",
        "besluiten",
        Collection("zaakbesluit", "ZaakBesluit"),
    ),
    (
        "/zaken/api/v1",
        "zaak_registreren",
        Action("registreerzaak_create", "ZaakRegistreren"),
    ),
    (
        "/zaken/api/v1",
        "zaak_bijwerken",
        Action("zaakbijwerken", "ZaakBijwerken"),
    ),
    (
        "/zaken/api/v1",
        "zaak_afsluiten",
        Action("zaakafsluiten", "ZaakAfsluiten"),
    ),
    (
        "/zaken/api/v1",
        "zaak_opschorten",
        Action("zaakopschorten", "ZaakOpschorten"),
    ),
    (
        "/zaken/api/v1",
        "zaak_verlengen",
        Action("zaakverlengen", "ZaakVerlengen"),
    ),
    (
        "/zaken/api/v1",
        "zaaknummer_reserveren",
        Action("zaaknummer_reserveren", "OneOrMultipleZaakIdentificaties"),
    ),
    (
        "/zaken/api/v1",
        "reserveer_zaaknummer",
        Action(
            "zaak_reserveer_zaaknummer",
            "OneOrMultipleZaakIdentificaties",
        ),
    ),
    (
        "/catalogi/api/v1",
        "besluittypen",
        Collection("besluittype", "BesluitType"),
    ),
    (
        "/catalogi/api/v1",
        "catalogussen",
        Collection("catalogus", "Catalogus"),
    ),
    (
        "/catalogi/api/v1",
        "eigenschappen",
        Collection("eigenschap", "Eigenschap"),
    ),
    (
        "/catalogi/api/v1",
        "informatieobjecttypen",
        Collection("informatieobjecttype", "InformatieObjectType"),
    ),
    (
        "/catalogi/api/v1",
        "resultaattypen",
        Collection("resultaattype", "ResultaatType"),
    ),
    (
        "/catalogi/api/v1",
        "roltypen",
        Collection("roltype", "RolType"),
    ),
    (
        "/catalogi/api/v1",
        "statustypen",
        Collection("statustype", "StatusType"),
    ),
    (
        "/catalogi/api/v1",
        "zaakobjecttypen",
        Collection("zaakobjecttype", "ZaakObjectType"),
    ),
    (
        "/catalogi/api/v1",
        "zaaktype-informatieobjecttypen",
        Collection(
            "zaaktypeinformatieobjecttype",
            "ZaakTypeInformatieObjectType",
        ),
    ),
    (
        "/catalogi/api/v1",
        "zaaktypen",
        Collection("zaaktype", "ZaakType"),
    ),
    (
        "/documenten/api/v1",
        "bestandsdelen",
        Collection("bestandsdeel", "BestandsDeel"),
    ),
    (
        "/documenten/api/v1",
        "document_registreren",
        Action("registreerdocument_create", "DocumentRegistreren"),
    ),
    (
        "/documenten/api/v1",
        "documentnummer_reserveren",
        Action("reserveddocument_create", "ReservedDocument"),
    ),
    (
        "/documenten/api/v1",
        "enkelvoudiginformatieobjecten",
        Collection("enkelvoudiginformatieobject", "EnkelvoudigInformatieObject"),
    ),
    (
        "/documenten/api/v1",
        "gebruiksrechten",
        Collection("gebruiksrechten", "Gebruiksrechten"),
    ),
    (
        "/documenten/api/v1",
        "objectinformatieobjecten",
        Collection("objectinformatieobject", "ObjectInformatieObject"),
    ),
    (
        "/documenten/api/v1",
        "verzendingen",
        Collection("verzending", "Verzending"),
    ),
    (
        "/besluiten/api/v1",
        "besluit_verwerken",
        Action("verwerkbesluit_create", "BesluitVerwerken"),
    ),
    (
        "/besluiten/api/v1",
        "besluiten",
        Collection("besluit", "Besluit"),
    ),
    (
        "/besluiten/api/v1",
        "besluitinformatieobjecten",
        Collection("besluitinformatieobject", "BesluitInformatieObject"),
    ),
    (
        "/autorisaties/api/v1",
        "applicaties",
        Collection("applicatie", "Applicatie"),
    ),
    (
        "/notificaties/api/v1",
        "abonnement",
        Collection("abonnement", "Abonnement"),
    ),
    (
        "/notificaties/api/v1",
        "kanaal",
        Collection("kanaal", "Kanaal"),
    ),
    (
        "/notificaties/api/v1",
        "notificaties",
        Action("notificaties_create", "Message"),
    ),
    (
        "/notificaties/api/v1",
        "cloudevents",
        Action("cloudevent_create", "CloudEvent"),
    ),
    (
        "/klantinteracties/api/v1",
        "partijen",
        Collection("partijen", "Partij"),
    ),
    (
        "/klantinteracties/api/v1",
        "partij-identificatoren",
        Collection("partijIdentificatoren", "PartijIdentificator"),
    ),
    (
        "/klantinteracties/api/v1",
        "digitaleadressen",
        Collection("digitaleadressen", "DigitaalAdres"),
    ),
    (
        "/klantinteracties/api/v1",
        "rekeningnummers",
        Collection("rekeningnummers", "Rekeningnummer"),
    ),
    (
        "/klantinteracties/api/v1",
        "vertegenwoordigingen",
        Collection("vertegenwoordigingen", "Vertegenwoordigden"),
    ),
    (
        "/klantinteracties/api/v1",
        "klantcontacten",
        Collection("klantcontacten", "Klantcontact"),
    ),
    (
        "/klantinteracties/api/v1",
        "maak-klantcontact",
        Action("maakKlantcontactCreate", "MaakKlantcontact"),
    ),
    (
        "/klantinteracties/api/v1",
        "betrokkenen",
        Collection("betrokkenen", "Betrokkene"),
    ),
    (
        "/klantinteracties/api/v1",
        "onderwerpobjecten",
        Collection("onderwerpobjecten", "Onderwerpobject"),
    ),
    (
        "/klantinteracties/api/v1",
        "bijlagen",
        Collection("bijlagen", "Bijlage"),
    ),
    (
        "/klantinteracties/api/v1",
        "actorklantcontacten",
        Collection("actorklantcontacten", "ActorKlantcontact"),
    ),
    (
        "/klantinteracties/api/v1",
        "internetaken",
        Collection("internetaken", "InterneTaak"),
    ),
    (
        "/klantinteracties/api/v1",
        "actoren",
        Collection("actoren", "Actor"),
    ),
    (
        "/klantinteracties/api/v1",
        "categorieen",
        Collection("categorieen", "Categorie"),
    ),
    (
        "/klantinteracties/api/v1",
        "categorie-relaties",
        Collection("categorieRelaties", "CategorieRelatie"),
    ),
    (
        "/contactgegevens/api/v1",
        "persoon",
        Collection("persoon", "Persoon"),
    ),
    (
        "/contactgegevens/api/v1",
        "organisatie",
        Collection("organisatie", "Organisatie"),
    ),
];

/// The audit trail is named alike under every API.
const AUDITTRAIL: Segment = Collection("audittrail", "AuditTrail");

/// Operations of ours that the standard's documents (as Open Zaak and Open Notificaties
/// serve them) do not have: `x-zaakstroom-extension` in the document.
pub const EXTENSIONS: &[(&str, &str)] = &[
    ("/notificaties/api/v1", "/abonnement/{uuid}/deliveries"),
    (
        "/notificaties/api/v1",
        "/abonnement/{uuid}/deliveries/resend",
    ),
    ("/notificaties/api/v1", "/deliveries/{uuid}/resend"),
];

pub fn is_extension(prefix: &str, path: &str) -> bool {
    EXTENSIONS.iter().any(|(p, q)| *p == prefix && *q == path)
}

/// The collection segment whose resource has the schema `schema`.
pub fn segment_of(prefix: &str, schema: &str) -> Option<&'static str> {
    SEGMENTS
        .iter()
        .find_map(|(p, segment, meaning)| match meaning {
            Collection(_, s) if *p == prefix && *s == schema => Some(*segment),
            _ => None,
        })
}

fn segment(prefix: &str, name: &str) -> Option<&'static Segment> {
    if name == "audittrail" {
        return Some(&AUDITTRAIL);
    }
    SEGMENTS
        .iter()
        .find(|(p, s, _)| *p == prefix && *s == name)
        .map(|(_, _, meaning)| meaning)
}

/// APIs whose documents name operations as drf-spectacular does (`partijenList`,
/// `partijenRetrieve`, `partijenPartialUpdate`, `partijenDestroy`: Open Klant).
const CAMEL_CASE_IDS: &[&str] = &["/klantinteracties/api/v1", "/contactgegevens/api/v1"];

/// The id of `action` on collection `op`, in the API's convention.
fn operation_id(prefix: &str, op: &str, action: &str) -> String {
    if !CAMEL_CASE_IDS.contains(&prefix) {
        return format!("{op}_{action}");
    }
    let action = match action {
        "read" => "Retrieve",
        "delete" => "Destroy",
        "partial_update" => "PartialUpdate",
        "list" => "List",
        "create" => "Create",
        "update" => "Update",
        _ => "Head",
    };
    format!("{op}{action}")
}

/// An operation's id and the schema of its resource (`None`: no body of a resource).
pub struct Named {
    pub operation_id: String,
    pub schema: Option<&'static str>,
    /// The path names a collection (not one of its members or an action).
    pub collection: bool,
}

/// The id and schema of `method path` under `prefix`.
pub fn name(prefix: &str, method: &str, path: &str) -> Named {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with('{');
    let ends_in_param = parts.last().is_some_and(|s| is_param(s));
    let words: Vec<&str> = parts.iter().copied().filter(|s| !is_param(s)).collect();
    let last = words.last().copied().unwrap_or_default();
    // The nearest collection before the last word (for `_zoek` and actions on a member).
    let owner = words
        .iter()
        .rev()
        .skip(1)
        .find_map(|w| match segment(prefix, w) {
            Some(Collection(op, schema)) => Some((*op, *schema)),
            _ => None,
        });
    match (segment(prefix, last), owner) {
        (Some(Collection(op, schema)), _) => {
            let action = match (method, ends_in_param) {
                ("GET", false) => "list",
                ("GET", true) => "read",
                ("POST", _) => "create",
                ("PUT", _) => "update",
                ("PATCH", _) => "partial_update",
                ("DELETE", _) => "delete",
                _ => "head",
            };
            Named {
                operation_id: operation_id(prefix, op, action),
                schema: Some(schema),
                collection: !ends_in_param,
            }
        }
        (Some(Action(op, schema)), _) => Named {
            operation_id: (*op).to_owned(),
            schema: Some(schema),
            collection: false,
        },
        (None, Some((op, schema))) if last == "_zoek" => Named {
            operation_id: format!("{op}__zoek"),
            schema: Some(schema),
            collection: true,
        },
        (None, Some((op, schema))) => Named {
            operation_id: format!("{op}_{last}"),
            schema: matches!(last, "publish" | "consumer").then_some(schema),
            collection: last == "consumer",
        },
        (None, None) => Named {
            operation_id: words.join("_"),
            schema: None,
            collection: false,
        },
    }
}
