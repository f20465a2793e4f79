//! The writable fields of each Catalogi API 1.3.1 resource, as data: name, type (with the
//! spec's maxLength, enum, min/max) and presence. `dto` reads a request body by these
//! tables; read-only and derived fields are not here.

use event_schemas::catalogus::ObjectKind;

use crate::fields::Presence::{self, Nullable as N, Optional as O, Required as R};

#[derive(Clone, Copy)]
pub enum Ty {
    /// A string of at most this many characters.
    Text(usize),
    Email(usize),
    /// An absolute http(s) URL elsewhere (Selectielijst, producten, ...).
    Url(usize),
    Date,
    Bool,
    Int(i64, i64),
    /// An ISO 8601 duration (`P1Y2M`, `P30D`, `PT12H`).
    Duration,
    /// A duration that is not empty (`P0D` is `empty-duration`, as Open Zaak 1.30 refuses
    /// it for a zaaktype's servicenorm; null may be allowed).
    NonZeroDuration,
    Choice(&'static [&'static str]),
    Texts(usize),
    Urls(usize),
    Object(&'static [Field]),
    Objects(&'static [Field]),
    /// The URL of one of our catalogussen.
    Catalogus,
    /// The URL of one of our objects of this kind, or a list of them.
    Ref(ObjectKind),
    Refs(ObjectKind),
}

#[derive(Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub presence: Presence,
}

const fn f(name: &'static str, ty: Ty, presence: Presence) -> Field {
    Field { name, ty, presence }
}

const ANY: usize = usize::MAX;

pub const VERTROUWELIJKHEID: &[&str] = &[
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
];
pub const OMSCHRIJVING_GENERIEK: &[&str] = &[
    "adviseur",
    "behandelaar",
    "belanghebbende",
    "beslisser",
    "initiator",
    "klantcontacter",
    "zaakcoordinator",
    "mede_initiator",
];
pub const RICHTING: &[&str] = &["inkomend", "intern", "uitgaand"];
const AFLEIDINGSWIJZE: &[&str] = &[
    "afgehandeld",
    "ander_datumkenmerk",
    "eigenschap",
    "gerelateerde_zaak",
    "hoofdzaak",
    "ingangsdatum_besluit",
    "termijn",
    "vervaldatum_besluit",
    "zaakobject",
];

/// beginGeldigheid and eindeGeldigheid, optional for a zaaktype's children (beginObject and
/// eindeObject are read-only, derived by the read model).
const GELDIGHEID_OPTIONAL: [Field; 2] = [
    f("beginGeldigheid", Ty::Date, N),
    f("eindeGeldigheid", Ty::Date, N),
];

pub const CATALOGUS: &[Field] = &[
    f("domein", Ty::Text(5), R),
    f("rsin", Ty::Text(9), R),
    f("contactpersoonBeheerNaam", Ty::Text(40), R),
    f("contactpersoonBeheerTelefoonnummer", Ty::Text(20), O),
    f("contactpersoonBeheerEmailadres", Ty::Email(254), O),
    f("naam", Ty::Text(200), N),
    f("versie", Ty::Text(20), N),
    f("begindatumVersie", Ty::Date, N),
];

const REFERENTIEPROCES: &[Field] = &[f("naam", Ty::Text(80), R), f("link", Ty::Url(200), O)];
const BRONCATALOGUS: &[Field] = &[
    f("url", Ty::Url(200), R),
    f("domein", Ty::Text(5), R),
    f("rsin", Ty::Text(9), R),
];
const BRONZAAKTYPE: &[Field] = &[
    f("url", Ty::Url(200), R),
    f("identificatie", Ty::Text(50), R),
    f("omschrijving", Ty::Text(80), R),
];
const ZAAKTYPENRELATIE: &[Field] = &[
    f("zaaktype", Ty::Url(200), R),
    f(
        "aardRelatie",
        Ty::Choice(&["vervolg", "bijdrage", "onderwerp"]),
        R,
    ),
    f("toelichting", Ty::Text(255), O),
];

const ZAAKTYPE: &[Field] = &[
    // Optional: an empty one is generated (`ZAAKTYPE-{year}-{n}`, domain).
    f("identificatie", Ty::Text(50), O),
    f("omschrijving", Ty::Text(80), R),
    f("omschrijvingGeneriek", Ty::Text(80), O),
    f(
        "vertrouwelijkheidaanduiding",
        Ty::Choice(VERTROUWELIJKHEID),
        R,
    ),
    f("doel", Ty::Text(ANY), R),
    f("aanleiding", Ty::Text(ANY), R),
    f("toelichting", Ty::Text(ANY), O),
    f(
        "indicatieInternOfExtern",
        Ty::Choice(&["intern", "extern"]),
        R,
    ),
    f("handelingInitiator", Ty::Text(20), R),
    f("onderwerp", Ty::Text(80), R),
    f("handelingBehandelaar", Ty::Text(20), R),
    f("doorlooptijd", Ty::Duration, R),
    f("servicenorm", Ty::NonZeroDuration, N),
    f("opschortingEnAanhoudingMogelijk", Ty::Bool, R),
    f("verlengingMogelijk", Ty::Bool, R),
    f("verlengingstermijn", Ty::Duration, N),
    f("trefwoorden", Ty::Texts(30), O),
    f("publicatieIndicatie", Ty::Bool, R),
    f("publicatietekst", Ty::Text(ANY), O),
    f("verantwoordingsrelatie", Ty::Texts(40), O),
    f("productenOfDiensten", Ty::Urls(1000), R),
    f("selectielijstProcestype", Ty::Url(200), O),
    f("referentieproces", Ty::Object(REFERENTIEPROCES), R),
    f("verantwoordelijke", Ty::Text(50), R),
    f("broncatalogus", Ty::Object(BRONCATALOGUS), O),
    f("bronzaaktype", Ty::Object(BRONZAAKTYPE), O),
    f("catalogus", Ty::Catalogus, R),
    f("besluittypen", Ty::Refs(ObjectKind::Besluittype), R),
    f("deelzaaktypen", Ty::Refs(ObjectKind::Zaaktype), O),
    f("gerelateerdeZaaktypen", Ty::Objects(ZAAKTYPENRELATIE), R),
    f("beginGeldigheid", Ty::Date, R),
    f("eindeGeldigheid", Ty::Date, N),
    f("versiedatum", Ty::Date, R),
];

const IOT_OMSCHRIJVING_GENERIEK: &[Field] = &[
    f("informatieobjecttypeOmschrijvingGeneriek", Ty::Text(80), R),
    f(
        "definitieInformatieobjecttypeOmschrijvingGeneriek",
        Ty::Text(255),
        R,
    ),
    f(
        "herkomstInformatieobjecttypeOmschrijvingGeneriek",
        Ty::Text(12),
        R,
    ),
    f(
        "hierarchieInformatieobjecttypeOmschrijvingGeneriek",
        Ty::Text(80),
        R,
    ),
    f(
        "opmerkingInformatieobjecttypeOmschrijvingGeneriek",
        Ty::Text(255),
        N,
    ),
];

const INFORMATIEOBJECTTYPE: &[Field] = &[
    f("catalogus", Ty::Catalogus, R),
    f("omschrijving", Ty::Text(80), R),
    f(
        "vertrouwelijkheidaanduiding",
        Ty::Choice(VERTROUWELIJKHEID),
        R,
    ),
    f("beginGeldigheid", Ty::Date, R),
    f("eindeGeldigheid", Ty::Date, N),
    f("informatieobjectcategorie", Ty::Text(80), R),
    f("trefwoord", Ty::Texts(30), O),
    f(
        "omschrijvingGeneriek",
        Ty::Object(IOT_OMSCHRIJVING_GENERIEK),
        O,
    ),
];

const BESLUITTYPE: &[Field] = &[
    f("catalogus", Ty::Catalogus, R),
    f("omschrijving", Ty::Text(80), O),
    f("omschrijvingGeneriek", Ty::Text(80), O),
    f("besluitcategorie", Ty::Text(40), O),
    f("reactietermijn", Ty::Duration, N),
    f("publicatieIndicatie", Ty::Bool, R),
    f("publicatietekst", Ty::Text(ANY), O),
    f("publicatietermijn", Ty::Duration, N),
    f("toelichting", Ty::Text(ANY), O),
    f(
        "informatieobjecttypen",
        Ty::Refs(ObjectKind::Informatieobjecttype),
        R,
    ),
    f("beginGeldigheid", Ty::Date, R),
    f("eindeGeldigheid", Ty::Date, N),
];

const CHECKLISTITEM: &[Field] = &[
    f("itemnaam", Ty::Text(30), R),
    f("toelichting", Ty::Text(1000), N),
    f("vraagstelling", Ty::Text(255), R),
    f("verplicht", Ty::Bool, O),
];

const ZAAKTYPE_REF: Field = f("zaaktype", Ty::Ref(ObjectKind::Zaaktype), R);

const STATUSTYPE: &[Field] = &[
    ZAAKTYPE_REF,
    f("omschrijving", Ty::Text(80), R),
    f("omschrijvingGeneriek", Ty::Text(80), O),
    f("statustekst", Ty::Text(1000), O),
    f("volgnummer", Ty::Int(1, 9999), R),
    f("informeren", Ty::Bool, O),
    f("doorlooptijd", Ty::Duration, N),
    f("toelichting", Ty::Text(1000), N),
    f("checklistitemStatustype", Ty::Objects(CHECKLISTITEM), O),
    // Writable in the VNG 1.3.1 file, read-only in Open Zaak's: the read model shows these
    // and the eigenschappen that name this statustype.
    f("eigenschappen", Ty::Refs(ObjectKind::Eigenschap), O),
    GELDIGHEID_OPTIONAL[0],
    GELDIGHEID_OPTIONAL[1],
];

const ROLTYPE: &[Field] = &[
    ZAAKTYPE_REF,
    f("omschrijving", Ty::Text(100), R),
    f("omschrijvingGeneriek", Ty::Choice(OMSCHRIJVING_GENERIEK), R),
    GELDIGHEID_OPTIONAL[0],
    GELDIGHEID_OPTIONAL[1],
];

const BRONDATUM: &[Field] = &[
    f("afleidingswijze", Ty::Choice(AFLEIDINGSWIJZE), R),
    f("datumkenmerk", Ty::Text(80), O),
    f("einddatumBekend", Ty::Bool, O),
    f(
        "objecttype",
        Ty::Choice(crate::fields::OBJECT_TYPES_OR_BLANK),
        O,
    ),
    f("registratie", Ty::Text(80), O),
    f("procestermijn", Ty::Duration, N),
];

const RESULTAATTYPE: &[Field] = &[
    ZAAKTYPE_REF,
    f("omschrijving", Ty::Text(30), R),
    f("resultaattypeomschrijving", Ty::Url(1000), R),
    f("selectielijstklasse", Ty::Url(1000), R),
    f("toelichting", Ty::Text(ANY), O),
    f(
        "archiefnominatie",
        Ty::Choice(&["", "blijvend_bewaren", "vernietigen"]),
        O,
    ),
    f("archiefactietermijn", Ty::Duration, N),
    f("brondatumArchiefprocedure", Ty::Object(BRONDATUM), N),
    f("procesobjectaard", Ty::Text(200), N),
    f("indicatieSpecifiek", Ty::Bool, N),
    f("procestermijn", Ty::Duration, N),
    f("besluittypen", Ty::Refs(ObjectKind::Besluittype), O),
    f(
        "informatieobjecttypen",
        Ty::Refs(ObjectKind::Informatieobjecttype),
        O,
    ),
    GELDIGHEID_OPTIONAL[0],
    GELDIGHEID_OPTIONAL[1],
];

const SPECIFICATIE: &[Field] = &[
    f("groep", Ty::Text(32), O),
    f(
        "formaat",
        Ty::Choice(&["tekst", "getal", "datum", "datum_tijd"]),
        R,
    ),
    f("lengte", Ty::Text(14), R),
    f("kardinaliteit", Ty::Text(3), R),
    f("waardenverzameling", Ty::Texts(100), O),
];

const EIGENSCHAP: &[Field] = &[
    ZAAKTYPE_REF,
    f("naam", Ty::Text(20), R),
    f("definitie", Ty::Text(255), R),
    f("specificatie", Ty::Object(SPECIFICATIE), R),
    f("toelichting", Ty::Text(1000), O),
    f("statustype", Ty::Ref(ObjectKind::Statustype), N),
    GELDIGHEID_OPTIONAL[0],
    GELDIGHEID_OPTIONAL[1],
];

/// Both shapes clients send: Open Zaak's (no catalogus, it is the zaaktype's; one
/// `statustype`; beginGeldigheid optional) and the VNG 1.3.1 file's (`catalogus`, which must
/// then be the zaaktype's; `statustypen` and `resultaattypen` lists).
const ZAAKOBJECTTYPE: &[Field] = &[
    ZAAKTYPE_REF,
    f("catalogus", Ty::Catalogus, O),
    f("anderObjecttype", Ty::Bool, R),
    f("objecttype", Ty::Url(200), R),
    f("relatieOmschrijving", Ty::Text(80), R),
    f("statustype", Ty::Ref(ObjectKind::Statustype), N),
    f("statustypen", Ty::Refs(ObjectKind::Statustype), O),
    f("resultaattypen", Ty::Refs(ObjectKind::Resultaattype), O),
    GELDIGHEID_OPTIONAL[0],
    GELDIGHEID_OPTIONAL[1],
];

const ZAAKTYPE_INFORMATIEOBJECTTYPE: &[Field] = &[
    ZAAKTYPE_REF,
    f(
        "informatieobjecttype",
        Ty::Ref(ObjectKind::Informatieobjecttype),
        R,
    ),
    f("volgnummer", Ty::Int(1, 999), R),
    f("richting", Ty::Choice(RICHTING), R),
    f("statustype", Ty::Ref(ObjectKind::Statustype), N),
];

pub fn fields(kind: ObjectKind) -> &'static [Field] {
    match kind {
        ObjectKind::Zaaktype => ZAAKTYPE,
        ObjectKind::Informatieobjecttype => INFORMATIEOBJECTTYPE,
        ObjectKind::Besluittype => BESLUITTYPE,
        ObjectKind::Statustype => STATUSTYPE,
        ObjectKind::Roltype => ROLTYPE,
        ObjectKind::Resultaattype => RESULTAATTYPE,
        ObjectKind::Eigenschap => EIGENSCHAP,
        ObjectKind::Zaakobjecttype => ZAAKOBJECTTYPE,
        ObjectKind::ZaaktypeInformatieobjecttype => ZAAKTYPE_INFORMATIEOBJECTTYPE,
    }
}

/// The OpenAPI schema of a field table (request and response share it; the response adds
/// `url`).
pub fn openapi(fields: &[Field]) -> serde_json::Value {
    crate::openapi::schema_object(
        fields
            .iter()
            .map(|f| {
                (
                    f.name,
                    openapi_type(f.ty, f.presence),
                    matches!(f.presence, Presence::Required),
                )
            })
            .collect(),
    )
}

fn openapi_type(ty: Ty, presence: Presence) -> serde_json::Value {
    use serde_json::json;
    let uri = |max: usize| {
        let mut s = json!({"type": "string", "format": "uri"});
        if max != ANY {
            s["maxLength"] = json!(max);
        }
        s
    };
    let mut schema = match ty {
        Ty::Text(max) => {
            let mut s = json!({"type": "string"});
            if max != ANY {
                s["maxLength"] = json!(max);
            }
            s
        }
        Ty::Email(max) => json!({"type": "string", "format": "email", "maxLength": max}),
        Ty::Url(max) => uri(max),
        Ty::Date => json!({"type": "string", "format": "date"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Int(min, max) => json!({"type": "integer", "minimum": min, "maximum": max}),
        Ty::Duration | Ty::NonZeroDuration => json!({"type": "string", "format": "duration"}),
        Ty::Choice(values) => json!({"type": "string", "enum": values}),
        Ty::Texts(max) => json!({"type": "array", "items": {"type": "string", "maxLength": max}}),
        Ty::Urls(max) => json!({"type": "array", "items": uri(max)}),
        Ty::Object(fields) => openapi(fields),
        Ty::Objects(fields) => json!({"type": "array", "items": openapi(fields)}),
        Ty::Catalogus | Ty::Ref(_) => uri(ANY),
        Ty::Refs(_) => json!({"type": "array", "items": uri(ANY)}),
    };
    if matches!(presence, Presence::Nullable) {
        schema["nullable"] = json!(true);
    }
    schema
}
