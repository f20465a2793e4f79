#!/usr/bin/env bash
# Puts a published catalogue (zaaktype with statustypen, roltype, resultaattype, eigenschap;
# informatieobjecttype; besluittype), a zaak and a besluit in a running server, so that
# spec-fuzz reaches past "zaaktype does not exist". Usage: seed.sh BASE_URL CLIENT_ID SECRET
set -eu
API=$1; TOKEN=$("$(dirname "$0")/../../../shared/tools/zgw-token" "$2" "$3")
zgw() { curl -sf -X "$1" "$API$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -H 'Accept-Crs: EPSG:4326' -H 'Content-Crs: EPSG:4326' ${3:+-d "$3"}; }
url() { python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])'; }
n=$(date +%s%N | tail -c 7)
CAT=$(zgw POST /catalogi/api/v1/catalogussen '{"domein":"F'"${n:0:4}"'","rsin":"517439943","contactpersoonBeheerNaam":"Beheer"}' | url)
ZT=$(zgw POST /catalogi/api/v1/zaaktypen '{"identificatie":"FUZZ-'"$n"'","omschrijving":"Fuzz","vertrouwelijkheidaanduiding":"openbaar","doel":"d","aanleiding":"a","indicatieInternOfExtern":"extern","handelingInitiator":"aanvragen","onderwerp":"o","handelingBehandelaar":"behandelen","doorlooptijd":"P8W","opschortingEnAanhoudingMogelijk":false,"verlengingMogelijk":false,"publicatieIndicatie":false,"productenOfDiensten":[],"referentieproces":{"naam":"r"},"verantwoordelijke":"Team","catalogus":"'"$CAT"'","besluittypen":[],"gerelateerdeZaaktypen":[],"beginGeldigheid":"2026-01-01","versiedatum":"2026-01-01"}' | url)
for v in 1 2; do zgw POST /catalogi/api/v1/statustypen '{"zaaktype":"'"$ZT"'","omschrijving":"Status '$v'","volgnummer":'$v'}' >/dev/null; done
zgw POST /catalogi/api/v1/roltypen '{"zaaktype":"'"$ZT"'","omschrijving":"Aanvrager","omschrijvingGeneriek":"initiator"}' >/dev/null
zgw POST /catalogi/api/v1/resultaattypen '{"zaaktype":"'"$ZT"'","omschrijving":"Verleend","resultaattypeomschrijving":"https://selectielijst.openzaak.nl/api/v1/resultaattypeomschrijvingen/1","selectielijstklasse":"https://selectielijst.openzaak.nl/api/v1/resultaten/1","archiefnominatie":"vernietigen","archiefactietermijn":"P10Y","brondatumArchiefprocedure":{"afleidingswijze":"afgehandeld"}}' >/dev/null
zgw POST /catalogi/api/v1/eigenschappen '{"zaaktype":"'"$ZT"'","naam":"kleur","definitie":"d","specificatie":{"formaat":"tekst","lengte":"20","kardinaliteit":"1"}}' >/dev/null
IOT=$(zgw POST /catalogi/api/v1/informatieobjecttypen '{"catalogus":"'"$CAT"'","omschrijving":"Doc","vertrouwelijkheidaanduiding":"openbaar","beginGeldigheid":"2026-01-01","informatieobjectcategorie":"c"}' | url)
BT=$(zgw POST /catalogi/api/v1/besluittypen '{"catalogus":"'"$CAT"'","omschrijving":"Besluit","zaaktypen":[],"publicatieIndicatie":false,"informatieobjecttypen":[],"beginGeldigheid":"2026-01-01"}' | url)
for u in "$IOT" "$BT" "$ZT"; do zgw POST "${u#"$API"}/publish" >/dev/null; done
ZAAK=$(zgw POST /zaken/api/v1/zaken '{"bronorganisatie":"517439943","verantwoordelijkeOrganisatie":"517439943","zaaktype":"'"$ZT"'","startdatum":"2026-11-23"}' | url)
zgw POST /besluiten/api/v1/besluiten '{"verantwoordelijkeOrganisatie":"517439943","besluittype":"'"$BT"'","datum":"2026-11-23","ingangsdatum":"2026-11-23"}' >/dev/null
echo "seeded $ZT $ZAAK"
