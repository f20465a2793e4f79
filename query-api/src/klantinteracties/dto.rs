//! Request bodies of the Klantinteracties API 0.9 (schemas `Partij`, `PartijIdentificator`)
//! to domain attributes, with DRF's codes for malformed fields; Open Klant's rules are the
//! aggregate's.

use commands::klantinteracties::{KlantcontactPart, PartAttributes, PartijRequest};
use domain::klantinteracties::klantcontact::Klantcontact;
use domain::klantinteracties::partij::{partij_identificatie, Partij, PartijIdentificatieFields};
use event_schemas::klantinteracties::klantcontact::{
    ActorKlantcontactAttributes, BetrokkeneAttributes, BijlageAttributes, KlantcontactAttributes,
    OnderwerpobjectAttributes, Rol,
};
use event_schemas::klantinteracties::partij::{
    PartijAttributes, PartijIdentificatorAttributes, PartijIdentificatorGroep,
    RekeningnummerAttributes,
};
use event_schemas::klantinteracties::{
    Adres, Contactnaam, DigitaalAdresAttributes, ObjectIdentificator, SoortDigitaalAdres,
};
use projections::partijen::render;
use projections::render::Urls;
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::fields::{Fields, Presence, Presence::*};

/// `{uuid}` of a referenced resource: the uuid (`None` when absent or null).
pub(super) fn reference(f: &mut Fields<'_>, name: &str, presence: Presence) -> Option<Uuid> {
    let raw = f.object(name, presence, |g| g.string("uuid", 36, Required))??;
    match raw.parse() {
        Ok(uuid) => Some(uuid),
        Err(_) => {
            f.error(
                &format!("{name}.uuid"),
                "invalid",
                "Voer een geldige UUID in.",
            );
            None
        }
    }
}

fn contactnaam(f: &mut Fields<'_>) -> Contactnaam {
    Contactnaam {
        voorletters: f.string("voorletters", 10, Optional).unwrap_or_default(),
        voornaam: f.string("voornaam", 200, Optional).unwrap_or_default(),
        voorvoegsel_achternaam: f
            .string("voorvoegselAchternaam", 10, Optional)
            .unwrap_or_default(),
        achternaam: f.string("achternaam", 200, Optional).unwrap_or_default(),
    }
}

/// A huisnummer, 1 to 99999, or null.
fn huisnummer(f: &mut Fields<'_>) -> Option<i32> {
    let v = f.raw_value("huisnummer", Nullable)?;
    match crate::fields::as_integer(&v) {
        Some(n @ 1..=99_999) => Some(n as i32),
        Some(_) => {
            f.error(
                "huisnummer",
                "max_value",
                "Zorg ervoor dat deze waarde tussen 1 en 99999 ligt.",
            );
            None
        }
        None => {
            f.error(
                "huisnummer",
                "invalid",
                "Een geldig geheel getal is vereist.",
            );
            None
        }
    }
}

pub(super) fn adres(f: &mut Fields<'_>) -> Adres {
    Adres {
        nummeraanduiding_id: f
            .string("nummeraanduidingId", 16, Optional)
            .unwrap_or_default(),
        straatnaam: f.string("straatnaam", 255, Optional).unwrap_or_default(),
        huisnummer: huisnummer(f),
        huisnummertoevoeging: f
            .string("huisnummertoevoeging", 20, Optional)
            .unwrap_or_default(),
        postcode: f.string("postcode", 7, Optional).unwrap_or_default(),
        stad: f.string("stad", 255, Optional).unwrap_or_default(),
        adresregel1: f.string("adresregel1", 80, Optional).unwrap_or_default(),
        adresregel2: f.string("adresregel2", 80, Optional).unwrap_or_default(),
        adresregel3: f.string("adresregel3", 80, Optional).unwrap_or_default(),
        land: f.string("land", 2, Optional).unwrap_or_default(),
    }
}

/// A partij-identificator's own fields (nested in a partij, or its own resource); the
/// uuid is the one sent, else a new one.
fn identificator(f: &mut Fields<'_>) -> (Uuid, PartijIdentificatorAttributes) {
    let uuid = match f.string("uuid", 36, Optional).filter(|u| !u.is_empty()) {
        Some(raw) => raw.parse().unwrap_or_else(|_| {
            f.error("uuid", "invalid", "Voer een geldige UUID in.");
            Uuid::nil()
        }),
        None => Uuid::new_v4(),
    };
    let groep = f.object("partijIdentificator", Required, |g| {
        Some(PartijIdentificatorGroep {
            code_objecttype: g.choice("codeObjecttype", Required)?,
            code_soort_object_id: g.choice("codeSoortObjectId", Required)?,
            object_id: g.string("objectId", 200, Required)?,
            code_register: g.choice("codeRegister", Required)?,
        })
    });
    let attributes = PartijIdentificatorAttributes {
        andere_partij_identificator: f
            .string("anderePartijIdentificator", 200, Optional)
            .unwrap_or_default(),
        sub_identificator_van: reference(f, "subIdentificatorVan", Nullable),
        // Checked by `finish`: a missing or malformed group is an error of its own.
        partij_identificator: groep.flatten().unwrap_or(PartijIdentificatorGroep {
            code_objecttype:
                event_schemas::klantinteracties::partij::CodeObjecttype::NatuurlijkPersoon,
            code_soort_object_id: event_schemas::klantinteracties::partij::CodeSoortObjectId::Bsn,
            object_id: String::new(),
            code_register: event_schemas::klantinteracties::partij::CodeRegister::Brp,
        }),
    };
    (uuid, attributes)
}

/// A partij as a client writes it (POST, PUT, or a PATCH merged onto the partij as it is):
/// its attributes, and its identificatoren when the body names `partijIdentificatoren`.
pub fn parse_partij(body: &Value) -> Result<PartijRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let soort = f.one_of(
        "soortPartij",
        &["contactpersoon", "persoon", "organisatie"],
        Required,
    );
    let fields = f
        .object("partijIdentificatie", Nullable, |g| {
            PartijIdentificatieFields {
                contactnaam: g.object("contactnaam", Nullable, contactnaam),
                naam: g.string("naam", 200, Optional),
                werkte_voor_partij: reference(g, "werkteVoorPartij", Nullable),
            }
        })
        .unwrap_or_default();
    let identificatoren = f.objects("partijIdentificatoren", Nullable, identificator);
    let attributes = PartijAttributes {
        nummer: f.string("nummer", 10, Nullable).filter(|n| !n.is_empty()),
        interne_notitie: f
            .string("interneNotitie", 1000, Optional)
            .unwrap_or_default(),
        voorkeurs_digitaal_adres: reference(&mut f, "voorkeursDigitaalAdres", Nullable),
        voorkeurs_rekeningnummer: reference(&mut f, "voorkeursRekeningnummer", Nullable),
        partij_identificatie: partij_identificatie(soort.as_deref().unwrap_or("persoon"), fields)
            .expect("a known soort"),
        indicatie_geheimhouding: f.boolean("indicatieGeheimhouding", Nullable),
        voorkeurstaal: f.string("voorkeurstaal", 3, Optional).unwrap_or_default(),
        indicatie_actief: f.boolean("indicatieActief", Required).unwrap_or_default(),
        bezoekadres: f.object("bezoekadres", Nullable, adres),
        correspondentieadres: f.object("correspondentieadres", Nullable, adres),
    };
    f.finish(|| (attributes, identificatoren))
}

/// What a PUT (`body` the whole partij) or PATCH (merged onto `current` as it renders)
/// asks for.
pub fn apply_partij(
    current: &Partij,
    body: &Value,
    partial: bool,
    urls: &Urls,
) -> Result<PartijRequest, ApiError> {
    if !partial {
        return parse_partij(body);
    }
    let merged = crate::resource::merge_patch(render::partij(current, urls), body)?;
    let (attributes, identificatoren) = parse_partij(&merged)?;
    // A PATCH that does not name the identificatoren leaves them as they are.
    let named = body.get("partijIdentificatoren").is_some();
    Ok((attributes, identificatoren.filter(|_| named)))
}

/// A part of a partij as its own resource: the partij (required here: the part lives in
/// its stream), the part's uuid (sent or new) and its attributes.
pub type PartRequest = (Uuid, Uuid, PartAttributes);

/// A partij-identificator as its own resource.
pub fn parse_identificator(body: &Value) -> Result<PartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let partij = reference(&mut f, "identificeerdePartij", Required);
    let (uuid, attributes) = identificator(&mut f);
    f.finish(|| {
        let attributes = PartAttributes::Identificator(attributes);
        (partij.unwrap_or_default(), uuid, attributes)
    })
}

/// A digitaal adres's own fields, and the partij and betrokkene that gave it.
fn digitaal_adres(f: &mut Fields<'_>) -> (Option<Uuid>, DigitaalAdresAttributes) {
    let partij = reference(f, "verstrektDoorPartij", Nullable);
    let attributes = DigitaalAdresAttributes {
        verstrekt_door_betrokkene: reference(f, "verstrektDoorBetrokkene", Nullable),
        adres: f.string("adres", 80, Required).unwrap_or_default(),
        soort_digitaal_adres: f
            .choice("soortDigitaalAdres", Required)
            .unwrap_or(SoortDigitaalAdres::Overig),
        is_standaard_adres: f.boolean("isStandaardAdres", Optional).unwrap_or_default(),
        omschrijving: f.string("omschrijving", 40, Optional).unwrap_or_default(),
        referentie: referentie(f),
        verificatie_datum: f.date("verificatieDatum", Nullable),
    };
    (partij, attributes)
}

/// Open Klant allows a digitaal adres of neither a partij nor a betrokkene; here it lives
/// in the stream of one of them (ARCHITECTURE.md).
const NO_OWNER: &str = "Een digitaal adres wordt verstrekt door een partij of een betrokkene.";

/// A digitaal adres a partij gave (in the partij's stream; it may name the betrokkene it
/// was given as, too).
pub fn parse_digitaal_adres(body: &Value) -> Result<PartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let (partij, attributes) = digitaal_adres(&mut f);
    if partij.is_none() && attributes.verstrekt_door_betrokkene.is_none() {
        f.error("nonFieldErrors", "invalid", NO_OWNER);
    }
    f.finish(|| {
        let attributes = PartAttributes::DigitaalAdres(attributes);
        (partij.unwrap_or_default(), Uuid::new_v4(), attributes)
    })
}

/// A digitaal adres a betrokkene gave without a partij (in its klantcontact's stream): the
/// owner answered is the betrokkene.
pub fn parse_betrokkene_adres(body: &Value) -> Result<KlantcontactPartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let (partij, attributes) = digitaal_adres(&mut f);
    let betrokkene = attributes.verstrekt_door_betrokkene;
    if partij.is_some() {
        let moved = "Een digitaal adres van een betrokkene kan geen partij krijgen.";
        f.error("verstrektDoorPartij", "wijzigen-niet-toegelaten", moved);
    } else if betrokkene.is_none() {
        f.error("nonFieldErrors", "invalid", NO_OWNER);
    }
    f.finish(|| {
        let part = KlantcontactPart::DigitaalAdres(attributes);
        (betrokkene.unwrap_or_default(), Uuid::new_v4(), part)
    })
}

/// A digitaal adres's referentie: blank, or letters, digits, `-` and `_` (the spec's
/// pattern).
fn referentie(f: &mut Fields<'_>) -> String {
    let r = f.string("referentie", 50, Optional).unwrap_or_default();
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if !r.chars().all(allowed) {
        f.error("referentie", "invalid", "Voer een geldige waarde in.");
    }
    r
}

/// A rekeningnummer of a partij.
pub fn parse_rekeningnummer(body: &Value) -> Result<PartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let partij = reference(&mut f, "partij", Required);
    let attributes = RekeningnummerAttributes {
        iban: f.string("iban", 34, Required).unwrap_or_default(),
        bic: f.string("bic", 11, Optional).unwrap_or_default(),
    };
    f.finish(|| {
        let attributes = PartAttributes::Rekeningnummer(attributes);
        (partij.unwrap_or_default(), Uuid::new_v4(), attributes)
    })
}

/// A vertegenwoordiging: the partij that represents (its stream) and the one represented.
pub fn parse_vertegenwoordiging(body: &Value) -> Result<PartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let partij = reference(&mut f, "vertegenwoordigendePartij", Required);
    let vertegenwoordigde = reference(&mut f, "vertegenwoordigdePartij", Required);
    f.finish(|| {
        let attributes = PartAttributes::Vertegenwoordiging(vertegenwoordigde.unwrap_or_default());
        (partij.unwrap_or_default(), Uuid::new_v4(), attributes)
    })
}

/// A klantcontact's metadata: an object of strings (each at most 255 characters: the
/// aggregate's rule).
fn metadata(f: &mut Fields<'_>) -> std::collections::BTreeMap<String, String> {
    let Some(v) = f.raw_value("metadata", Optional) else {
        return Default::default();
    };
    let Value::Object(obj) = v else {
        f.error(
            "metadata",
            "invalid",
            "Ongeldige data. Verwacht een dictionary.",
        );
        return Default::default();
    };
    let mut out = std::collections::BTreeMap::new();
    for (key, value) in obj {
        match value {
            Value::String(s) => drop(out.insert(key, s)),
            _ => f.error("metadata", "invalid", "Geen geldige string."),
        }
    }
    out
}

/// A klantcontact's own fields (schema `Klantcontact`; the read-only relations ignored).
fn klantcontact_fields(f: &mut Fields<'_>) -> KlantcontactAttributes {
    KlantcontactAttributes {
        nummer: f.string("nummer", 10, Nullable).filter(|n| !n.is_empty()),
        referentienummer: f
            .string("referentienummer", 10, Nullable)
            .filter(|n| !n.is_empty()),
        kanaal: f.string("kanaal", 50, Required).unwrap_or_default(),
        onderwerp: f.string("onderwerp", 200, Required).unwrap_or_default(),
        inhoud: f.string("inhoud", 1000, Optional).unwrap_or_default(),
        reactie: f.string("reactie", 4000, Optional).unwrap_or_default(),
        indicatie_contact_gelukt: f.boolean("indicatieContactGelukt", Nullable),
        hoofd_onderwerp_type: f
            .string("hoofdOnderwerpType", 200, Optional)
            .unwrap_or_default(),
        verdere_actie_ondernomen: f
            .boolean("verdereActieOndernomen", Optional)
            .unwrap_or_default(),
        taal: f.string("taal", 3, Required).unwrap_or_default(),
        vertrouwelijk: f.boolean("vertrouwelijk", Required).unwrap_or_default(),
        plaatsgevonden_op: f
            .datetime("plaatsgevondenOp", Optional)
            .unwrap_or_else(chrono::Utc::now),
        metadata: metadata(f),
    }
}

/// A klantcontact as a client writes it (POST, PUT, or a PATCH merged onto it as it is).
pub fn parse_klantcontact(body: &Value) -> Result<KlantcontactAttributes, ApiError> {
    let mut f = Fields::new(body)?;
    let attributes = klantcontact_fields(&mut f);
    f.finish(|| attributes)
}

/// What a PUT (`body` the whole klantcontact) or PATCH (merged onto `current` as it
/// renders) asks for.
pub fn apply_klantcontact(
    current: &Klantcontact,
    body: &Value,
    partial: bool,
    urls: &Urls,
) -> Result<KlantcontactAttributes, ApiError> {
    if !partial {
        return parse_klantcontact(body);
    }
    let rendered = projections::klantcontacten::render::klantcontact(current, urls);
    parse_klantcontact(&crate::resource::merge_patch(rendered, body)?)
}

/// A betrokkene sent along with a klantcontact (schema `BetrokkeneKlantcontactReadOnly`).
fn betrokkene(f: &mut Fields<'_>) -> BetrokkeneAttributes {
    BetrokkeneAttributes {
        was_partij: reference(f, "wasPartij", Nullable),
        bezoekadres: f.object("bezoekadres", Nullable, adres),
        correspondentieadres: f.object("correspondentieadres", Nullable, adres),
        contactnaam: f.object("contactnaam", Nullable, contactnaam),
        rol: f.choice("rol", Required).unwrap_or(Rol::Klant),
        organisatienaam: f
            .string("organisatienaam", 200, Optional)
            .unwrap_or_default(),
        initiator: f.boolean("initiator", Required).unwrap_or_default(),
    }
}

/// An onderwerpobject sent along with a klantcontact (schema
/// `OnderwerpobjectKlantcontactReadOnly`).
fn onderwerpobject(f: &mut Fields<'_>) -> OnderwerpobjectAttributes {
    OnderwerpobjectAttributes {
        was_klantcontact: reference(f, "wasKlantcontact", Nullable),
        onderwerpobjectidentificator: f.object(
            "onderwerpobjectidentificator",
            Nullable,
            object_identificator,
        ),
    }
}

/// An identificator of an object in another register (its four fields, each optional).
pub(super) fn object_identificator(g: &mut Fields<'_>) -> ObjectIdentificator {
    ObjectIdentificator {
        object_id: g.string("objectId", 200, Optional).unwrap_or_default(),
        code_objecttype: g
            .string("codeObjecttype", 200, Optional)
            .unwrap_or_default(),
        code_register: g.string("codeRegister", 200, Optional).unwrap_or_default(),
        code_soort_object_id: g
            .string("codeSoortObjectId", 200, Optional)
            .unwrap_or_default(),
    }
}

/// What POST /maak-klantcontact asks for (schema `MaakKlantcontact`): the klantcontact, and
/// the betrokkene and onderwerpobject when given.
pub type MaakKlantcontact = (
    KlantcontactAttributes,
    Option<BetrokkeneAttributes>,
    Option<OnderwerpobjectAttributes>,
);

pub fn parse_maak_klantcontact(body: &Value) -> Result<MaakKlantcontact, ApiError> {
    let mut f = Fields::new(body)?;
    let klantcontact = f.object("klantcontact", Required, klantcontact_fields);
    let betrokkene = f.object("betrokkene", Nullable, betrokkene);
    let onderwerpobject = f.object("onderwerpobject", Nullable, onderwerpobject);
    match f.finish(|| (klantcontact, betrokkene, onderwerpobject))? {
        (Some(klantcontact), betrokkene, onderwerpobject) => {
            Ok((klantcontact, betrokkene, onderwerpobject))
        }
        // Only while the parser is described (the field's absence is refused above).
        (None, ..) => Err(ApiError::invalid(
            "klantcontact",
            "required",
            "Dit veld is vereist.",
        )),
    }
}

/// A part of a klantcontact as its own resource: the klantcontact (its stream), the part's
/// uuid (new) and its attributes.
pub type KlantcontactPartRequest = (Uuid, Uuid, KlantcontactPart);

/// A betrokkene as its own resource (schema `Betrokkene`).
pub fn parse_betrokkene(body: &Value) -> Result<KlantcontactPartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let klantcontact = reference(&mut f, "hadKlantcontact", Required);
    let attributes = betrokkene(&mut f);
    f.finish(|| {
        let part = KlantcontactPart::Betrokkene(Box::new(attributes));
        (klantcontact.unwrap_or_default(), Uuid::new_v4(), part)
    })
}

/// An onderwerpobject as its own resource (schema `Onderwerpobject`).
pub fn parse_onderwerpobject(body: &Value) -> Result<KlantcontactPartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let klantcontact = reference(&mut f, "klantcontact", Required);
    let attributes = onderwerpobject(&mut f);
    f.finish(|| {
        let part = KlantcontactPart::Onderwerpobject(attributes);
        (klantcontact.unwrap_or_default(), Uuid::new_v4(), part)
    })
}

/// A bijlage (schema `Bijlage`): its klantcontact may be left out in Open Klant's
/// document, but a bijlage lives in its klantcontact's stream here, so it is required.
pub fn parse_bijlage(body: &Value) -> Result<KlantcontactPartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let klantcontact = reference(&mut f, "wasBijlageVanKlantcontact", Required);
    let bijlageidentificator = f.object("bijlageidentificator", Nullable, object_identificator);
    f.finish(|| {
        let part = KlantcontactPart::Bijlage(BijlageAttributes {
            bijlageidentificator,
        });
        (klantcontact.unwrap_or_default(), Uuid::new_v4(), part)
    })
}

/// An actorklantcontact (schema `ActorKlantcontact`): an actor that took part in a
/// klantcontact.
pub fn parse_actorklantcontact(body: &Value) -> Result<KlantcontactPartRequest, ApiError> {
    let mut f = Fields::new(body)?;
    let klantcontact = reference(&mut f, "klantcontact", Required);
    let actor = reference(&mut f, "actor", Required);
    f.finish(|| {
        let part = KlantcontactPart::ActorKlantcontact(ActorKlantcontactAttributes {
            actor: actor.unwrap_or_default(),
        });
        (klantcontact.unwrap_or_default(), Uuid::new_v4(), part)
    })
}
