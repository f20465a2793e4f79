//! One seeded zaak: its history decided by the domain exactly as the API's commands decide
//! it (create, rollen, a zaakeigenschap, statussen, for some a resultaat and the eindstatus
//! that closes it), stamped with envelopes, plus the identificatie claim the API appends.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use domain::zaak::archief::ArchiefRegels;
use domain::zaak::{StatusFacts, Zaak, ZaakAggregate, ZaakCommand, ZaakError};
use domain::Aggregate;
use event_schemas::claim::{ClaimEvent, ClaimedV1};
use event_schemas::zaak::{
    Archiefnominatie, Archiefstatus, PartAttributes, PartKind, Vertrouwelijkheidaanduiding,
    ZaakAttributes, ZaakEvent,
};
use event_schemas::{stream_name, VersionedEvent};
use event_store::postgres::StreamAppend;
use event_store::{ExpectedVersion, NewEvent};
use serde_json::json;
use uuid::Uuid;

use super::catalogue::{SeedCatalogue, SeedZaaktype};
use super::rng::{ymd, Rng};

/// The bronorganisatie (and verantwoordelijke organisatie) of every seeded zaak.
pub const BRONORGANISATIE: &str = "517439943";
const OMSCHRIJVINGEN: &[&str] = &[
    "Aanvraag parkeervergunning",
    "Melding openbare ruimte",
    "Aanvraag omgevingsvergunning",
    "Bezwaarschrift WOZ-beschikking",
    "Aanvraag bijstand",
    "Verhuizing binnen de gemeente",
];
/// Names of the seeded persons (geslachtsnaam, voornaam).
pub const NAMEN: &[(&str, &str)] = &[
    ("Jansen", "Anna"),
    ("de Vries", "Bram"),
    ("Bakker", "Fatima"),
    ("Visser", "Daan"),
    ("Smit", "Sanne"),
    ("Yilmaz", "Emre"),
];

/// What every zaak of one run shares.
pub struct Plan<'a> {
    pub seed: u64,
    pub catalogue: &'a SeedCatalogue,
    pub urls: &'a projections::render::Urls,
    pub tenant: &'a str,
}

/// The uuid of zaak `index`: the same in every run with the same seed.
pub fn uuid(seed: u64, index: u64) -> Uuid {
    Rng::new(seed, 1, index).uuid()
}

/// The zaak's stream and its identificatie claim, ready to append.
pub fn generate(plan: &Plan<'_>, index: u64) -> Result<[StreamAppend; 2], ZaakError> {
    build(plan, index).map(|(appends, _)| appends)
}

/// The BSNs of zaak `index`'s rollen, in the order they were added.
pub fn rol_bsns(plan: &Plan<'_>, index: u64) -> Result<Vec<String>, ZaakError> {
    build(plan, index).map(|(_, bsns)| bsns)
}

fn build(plan: &Plan<'_>, index: u64) -> Result<([StreamAppend; 2], Vec<String>), ZaakError> {
    let mut g = Generator::new(plan, index);
    let zaaktype = plan.catalogue.zaaktypen
        [g.rng.below(plan.catalogue.zaaktypen.len() as u64) as usize]
        .clone();
    let attributes = g.attributes(&zaaktype, index);
    let claim = g.claim(&attributes);
    g.decide(ZaakCommand::Create {
        uuid: g.uuid,
        attributes,
        outside: Default::default(),
    })?;
    for _ in 0..g.rng.between(1, 3) {
        let rol = g.rol(&zaaktype);
        g.decide(rol)?;
    }
    let eigenschap = g.eigenschap(&zaaktype);
    g.decide(eigenschap)?;
    g.statussen(&zaaktype)?;
    let zaak = StreamAppend {
        stream: stream_name(ZaakEvent::CATEGORY, g.uuid),
        expected: ExpectedVersion::NoStream,
        events: g.events,
    };
    Ok(([claim, zaak], g.bsns))
}

struct Generator<'a> {
    plan: &'a Plan<'a>,
    rng: Rng,
    uuid: Uuid,
    state: Option<Zaak>,
    events: Vec<NewEvent>,
    /// The BSNs of its rollen.
    bsns: Vec<String>,
    /// When the next command happens.
    at: DateTime<Utc>,
}

impl<'a> Generator<'a> {
    fn new(plan: &'a Plan<'a>, index: u64) -> Self {
        let mut rng = Rng::new(plan.seed, 2, index);
        let at = rng.office_hours(ymd(2019, 1, 1), ymd(2026, 6, 30));
        Self {
            plan,
            rng,
            uuid: uuid(plan.seed, index),
            state: None,
            events: Vec::new(),
            bsns: Vec::new(),
            at,
        }
    }

    fn attributes(&mut self, zaaktype: &SeedZaaktype, index: u64) -> ZaakAttributes {
        let day = self.at.date_naive();
        let geometry = self.rng.percent(50).then(|| {
            let (x, y) = (
                4.2 + self.rng.below(2_000) as f64 / 1e3,
                51.8 + self.rng.below(1_500) as f64 / 1e3,
            );
            json!({"type": "Point", "coordinates": [x, y]})
        });
        ZaakAttributes {
            identificatie: format!("ZAAK-{}-{:010}", day.format("%Y"), index + 1),
            bronorganisatie: BRONORGANISATIE.into(),
            omschrijving: (*self.rng.pick(OMSCHRIJVINGEN)).into(),
            toelichting: String::new(),
            zaaktype: zaaktype.url.clone(),
            registratiedatum: day,
            verantwoordelijke_organisatie: BRONORGANISATIE.into(),
            startdatum: day,
            einddatum_gepland: Some(day + Duration::weeks(8)),
            uiterlijke_einddatum_afdoening: None,
            publicatiedatum: None,
            communicatiekanaal: String::new(),
            producten_of_diensten: Vec::new(),
            vertrouwelijkheidaanduiding: *self.rng.pick(&Vertrouwelijkheidaanduiding::ALL),
            betalingsindicatie: None,
            laatste_betaaldatum: None,
            zaakgeometrie: geometry,
            verlenging: None,
            opschorting: None,
            selectielijstklasse: String::new(),
            hoofdzaak: None,
            relevante_andere_zaken: Vec::new(),
            kenmerken: Vec::new(),
            archiefnominatie: None,
            archiefstatus: Archiefstatus::NogTeArchiveren,
            archiefactiedatum: None,
            opdrachtgevende_organisatie: String::new(),
            processobjectaard: None,
            startdatum_bewaartermijn: None,
            processobject: None,
            communicatiekanaal_naam: String::new(),
            laatst_geopend: None,
            gerelateerde_zaken: Vec::new(),
        }
    }

    /// The claim of the zaak's identificatie, as `POST /zaken` appends it.
    fn claim(&mut self, attributes: &ZaakAttributes) -> StreamAppend {
        let key = format!(
            "zaak-identificatie/{}/{}",
            attributes.bronorganisatie, attributes.identificatie
        );
        let event = ClaimEvent::Claimed(ClaimedV1 {
            key: key.clone(),
            owner: stream_name(ZaakEvent::CATEGORY, self.uuid),
        });
        StreamAppend {
            stream: ClaimEvent::stream(&key),
            expected: ExpectedVersion::NoStream,
            events: vec![self.envelope(&event)],
        }
    }

    /// A rol of a natuurlijk persoon, with the attributes `POST /rollen` stores.
    fn rol(&mut self, zaaktype: &SeedZaaktype) -> ZaakCommand {
        let (geslachtsnaam, voornamen) = *self.rng.pick(NAMEN);
        let bsn = self.rng.bsn();
        let identificatie = json!({"inpBsn": bsn, "geslachtsnaam": geslachtsnaam,
            "voornamen": voornamen});
        self.bsns.push(bsn);
        let attributes = part(json!({
            "zaak": self.plan.urls.zaak(self.uuid),
            "betrokkene": "",
            "betrokkeneType": "natuurlijk_persoon",
            "afwijkendeNaamBetrokkene": "",
            "roltype": self.rng.pick(&zaaktype.roltypen),
            "roltoelichting": "aanvrager",
            "indicatieMachtiging": "",
            "contactpersoonRol": null,
            "betrokkeneIdentificatie": identificatie,
            "registratiedatum": self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "omschrijving": "",
            "omschrijvingGeneriek": "",
        }));
        self.add_part(PartKind::Rol, attributes)
    }

    fn eigenschap(&mut self, zaaktype: &SeedZaaktype) -> ZaakCommand {
        let waarde = format!("{:02}-XK-{:02}", self.rng.below(100), self.rng.below(100));
        let attributes =
            part(json!({"eigenschap": zaaktype.eigenschap, "waarde": waarde, "naam": ""}));
        self.add_part(PartKind::Zaakeigenschap, attributes)
    }

    fn resultaat(&mut self, zaaktype: &SeedZaaktype) -> ZaakCommand {
        let attributes = part(json!({"zaak": self.plan.urls.zaak(self.uuid),
            "resultaattype": zaaktype.resultaattype, "toelichting": ""}));
        self.add_part(PartKind::Resultaat, attributes)
    }

    fn add_part(&mut self, kind: PartKind, attributes: PartAttributes) -> ZaakCommand {
        ZaakCommand::AddPart {
            kind,
            uuid: self.rng.uuid(),
            attributes,
            may_force: false,
            type_zaaktype: None,
        }
    }

    /// 2–5 statussen in volgnummer order; about a third of the zaken get a resultaat and
    /// end with the eindstatus, which closes them.
    fn statussen(&mut self, zaaktype: &SeedZaaktype) -> Result<(), ZaakError> {
        let types = &zaaktype.statustypen;
        let closes = self.rng.percent(35);
        let last = types.len() as u64 - u64::from(!closes);
        let count = self.rng.between(2, last) as usize;
        let mut chosen: Vec<usize> = (0..count).collect();
        if closes {
            chosen[count - 1] = types.len() - 1;
            let resultaat = self.resultaat(zaaktype);
            self.decide(resultaat)?;
        }
        for i in chosen {
            let is_eindstatus = i == types.len() - 1;
            let statustype_zaaktype = self
                .state
                .as_ref()
                .map(|z| z.attributes.zaaktype.clone())
                .unwrap_or_default();
            let command = ZaakCommand::AddStatus {
                uuid: self.rng.uuid(),
                statustype: types[i].clone(),
                datum_status_gezet: self.at,
                statustoelichting: String::new(),
                gezetdoor: String::new(),
                gezetdoor_rol: None,
                facts: Box::new(StatusFacts {
                    statustype_zaaktype,
                    is_eindstatus,
                    archief: is_eindstatus.then(Self::regels),
                    ..Default::default()
                }),
                may_force: false,
                may_reopen: false,
            };
            self.decide(command)?;
        }
        Ok(())
    }

    /// What closing derives from the seeded resultaattypen (vernietigen after ten years,
    /// counted from the einddatum).
    fn regels() -> ArchiefRegels {
        ArchiefRegels {
            archiefnominatie: Some(Archiefnominatie::Vernietigen),
            archiefactietermijn: Some("P10Y".into()),
            afleidingswijze: "afgehandeld".into(),
            ..Default::default()
        }
    }

    /// Decides `command` on the current state, keeps its events and moves the clock on.
    fn decide(&mut self, command: ZaakCommand) -> Result<(), ZaakError> {
        for event in ZaakAggregate::decide(&self.state, command)? {
            self.state = ZaakAggregate::evolve(self.state.take(), &event);
            let envelope = self.envelope(&event);
            self.events.push(envelope);
        }
        self.at += Duration::minutes(30 + self.rng.below(4 * 24 * 60) as i64);
        Ok(())
    }

    fn envelope(&mut self, event: &impl VersionedEvent) -> NewEvent {
        super::envelope(&mut self.rng, self.plan.tenant, self.at, event)
    }
}

fn part(value: serde_json::Value) -> PartAttributes {
    match value {
        serde_json::Value::Object(map) => map,
        _ => PartAttributes::new(),
    }
}
