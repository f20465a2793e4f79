//! Seeded klantcontacten: each decided by the domain as `POST /maak-klantcontact` decides
//! it, with a betrokkene that was seeded partij `i mod partijen` (so each partij has about
//! klantcontacten / partijen of them) and for some an onderwerpobject naming a seeded zaak;
//! a fifth led to an internetaak assigned to one of a few seeded actoren.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use domain::klantinteracties::internetaak::InternetaakAggregate;
use domain::klantinteracties::klantcontact::{KlantcontactAggregate, KlantcontactCommand};
use domain::klantinteracties::unruled::ActorAggregate;
use domain::klantinteracties::SimpleCommand;
use event_schemas::klantinteracties::klantcontact::{
    BetrokkeneAttributes, KlantcontactAttributes, KlantcontactEvent, OnderwerpobjectAttributes, Rol,
};
use event_schemas::klantinteracties::overig::{
    ActorAttributes, ActorEvent, ActorIdentificatie, InternetaakAttributes, InternetaakEvent,
    Taakstatus,
};
use event_schemas::klantinteracties::ObjectIdentificator;
use event_schemas::{stream_name, VersionedEvent};
use event_store::postgres::StreamAppend;
use event_store::ExpectedVersion;
use uuid::Uuid;

use super::rng::{ymd, Rng};
use super::{partij, zaak, SeedError};

/// How many actoren (medewerkers) the internetaken are assigned to.
pub const ACTOREN: u64 = 5;
const KANALEN: &[&str] = &["telefoon", "e-mail", "balie", "chat", "brief"];
const ONDERWERPEN: &[&str] = &[
    "Vraag over parkeervergunning",
    "Klacht afvalinzameling",
    "Status aanvraag",
    "Adreswijziging",
    "Vraag over WOZ-waarde",
];
const HANDELINGEN: &[&str] = &[
    "Terugbellen",
    "E-mail beantwoorden",
    "Doorzetten naar vakafdeling",
];

/// What every klantcontact of one run shares.
pub struct Plan<'a> {
    pub seed: u64,
    pub tenant: &'a str,
    pub partijen: u64,
    pub zaken: u64,
}

impl Plan<'_> {
    fn actor_uuid(&self, index: u64) -> Uuid {
        Rng::new(self.seed, 13, index).uuid()
    }

    pub fn actor_stream(&self, index: u64) -> String {
        stream_name(ActorEvent::CATEGORY, self.actor_uuid(index))
    }

    /// Actor `index`: a KCC medewerker.
    pub fn actor(&self, index: u64) -> Result<StreamAppend, SeedError> {
        let mut rng = Rng::new(self.seed, 14, index);
        let uuid = self.actor_uuid(index);
        let attributes = ActorAttributes {
            naam: format!("KCC-medewerker {}", index + 1),
            actor_identificatie: ActorIdentificatie::Medewerker {
                functie: "Klantcontactmedewerker".into(),
                emailadres: format!("kcc{}@gemeente.example.nl", index + 1),
                telefoonnummer: String::new(),
            },
            indicatie_actief: true,
            actoridentificator: None,
        };
        let command = SimpleCommand::Create {
            uuid,
            attributes,
            facts: (),
        };
        let events = super::decided::<ActorAggregate>("actor", vec![command])?;
        let at = ymd(2019, 1, 1).and_time(NaiveTime::MIN).and_utc();
        Ok(self.append(
            &mut rng,
            stream_name(ActorEvent::CATEGORY, uuid),
            at,
            &events,
        ))
    }

    fn uuid(&self, index: u64) -> Uuid {
        Rng::new(self.seed, 15, index).uuid()
    }

    pub fn stream(&self, index: u64) -> String {
        stream_name(KlantcontactEvent::CATEGORY, self.uuid(index))
    }

    /// Klantcontact `index`'s stream, and its internetaak's when it led to one.
    pub fn generate(&self, index: u64) -> Result<Vec<StreamAppend>, SeedError> {
        let mut rng = Rng::new(self.seed, 16, index);
        let uuid = self.uuid(index);
        let at = rng.office_hours(ymd(2020, 1, 1), ymd(2026, 6, 30));
        let betrokkene = BetrokkeneAttributes {
            was_partij: Some(partij::uuid(self.seed, index % self.partijen.max(1))),
            bezoekadres: None,
            correspondentieadres: None,
            contactnaam: None,
            rol: Rol::Klant,
            organisatienaam: String::new(),
            initiator: true,
        };
        let zaak = (self.zaken > 0 && rng.percent(30)).then(|| OnderwerpobjectAttributes {
            was_klantcontact: None,
            onderwerpobjectidentificator: Some(ObjectIdentificator {
                object_id: zaak::uuid(self.seed, index % self.zaken).to_string(),
                code_objecttype: "zaak".into(),
                code_register: "openzaak".into(),
                code_soort_object_id: "uuid".into(),
            }),
        });
        let command = KlantcontactCommand::Create {
            uuid,
            attributes: Box::new(attributes(&mut rng, at)),
            betrokkene: Some((rng.uuid(), betrokkene)),
            onderwerpobject: zaak.map(|z| (rng.uuid(), z)),
        };
        let events = super::decided::<KlantcontactAggregate>("klantcontact", vec![command])?;
        let mut appends = vec![self.append(
            &mut rng,
            stream_name(KlantcontactEvent::CATEGORY, uuid),
            at,
            &events,
        )];
        if rng.percent(20) {
            appends.push(self.internetaak(&mut rng, uuid, index, at)?);
        }
        Ok(appends)
    }

    /// An internetaak arising from klantcontact `klantcontact`, for actor `index mod ACTOREN`;
    /// half of them verwerkt a day later.
    fn internetaak(
        &self,
        rng: &mut Rng,
        klantcontact: Uuid,
        index: u64,
        at: DateTime<Utc>,
    ) -> Result<StreamAppend, SeedError> {
        let uuid = rng.uuid();
        let verwerkt = rng.percent(50);
        let attributes = InternetaakAttributes {
            nummer: None,
            referentienummer: None,
            gevraagde_handeling: (*rng.pick(HANDELINGEN)).into(),
            aanleidinggevend_klantcontact: klantcontact,
            toegewezen_aan_actoren: vec![self.actor_uuid(index % ACTOREN)],
            toelichting: String::new(),
            status: match verwerkt {
                true => Taakstatus::Verwerkt,
                false => Taakstatus::TeVerwerken,
            },
            toegewezen_op: Some(at),
            afgehandeld_op: verwerkt.then(|| at + Duration::days(1)),
        };
        let command = SimpleCommand::Create {
            uuid,
            attributes,
            facts: (),
        };
        let events = super::decided::<InternetaakAggregate>("internetaak", vec![command])?;
        Ok(self.append(
            rng,
            stream_name(InternetaakEvent::CATEGORY, uuid),
            at,
            &events,
        ))
    }

    fn append(
        &self,
        rng: &mut Rng,
        stream: String,
        at: DateTime<Utc>,
        events: &[impl VersionedEvent],
    ) -> StreamAppend {
        StreamAppend {
            stream,
            expected: ExpectedVersion::NoStream,
            events: events
                .iter()
                .map(|e| super::envelope(rng, self.tenant, at, e))
                .collect(),
        }
    }
}

fn attributes(rng: &mut Rng, at: DateTime<Utc>) -> KlantcontactAttributes {
    let onderwerp = *rng.pick(ONDERWERPEN);
    KlantcontactAttributes {
        nummer: None,
        referentienummer: None,
        kanaal: (*rng.pick(KANALEN)).into(),
        onderwerp: onderwerp.into(),
        inhoud: format!("{onderwerp}: de inwoner neemt contact op."),
        reactie: String::new(),
        indicatie_contact_gelukt: Some(true),
        hoofd_onderwerp_type: String::new(),
        verdere_actie_ondernomen: false,
        taal: "nld".into(),
        vertrouwelijk: false,
        plaatsgevonden_op: at,
        metadata: BTreeMap::new(),
    }
}
