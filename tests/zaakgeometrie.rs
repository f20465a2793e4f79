//! A zaak's zaakgeometrie is a GeoJSON geometry in EPSG:4326 (the only Content-Crs served):
//! what is not one is refused with 400, so no stored zaak becomes unreadable.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestApp;

#[tokio::test]
async fn a_zaakgeometrie_outside_wgs84_or_malformed_is_refused_and_the_zaak_stays_writable() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let huge = -1.797_693_134_862_315_7e308;
    for geometry in [
        json!({"type": "Polygon", "coordinates": [[[huge, 52.0], [4.9, 52.1], [4.8, 52.0], [huge, 52.0]]]}),
        json!({"type": "Point", "coordinates": [4.9, 91.0]}),
        json!({"type": "Point", "coordinates": [[4.9, 52.3]]}),
        json!({"type": "Point", "coordinates": ["4.9", 52.3]}),
        json!({"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [200, 0]}]}),
    ] {
        let response = app
            .request(Method::PATCH, &path)
            .json(&json!({"zaakgeometrie": geometry}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{geometry}");
        let err: Value = response.json().await.unwrap();
        assert_eq!(err["invalidParams"][0]["name"], "zaakgeometrie", "{err}");
    }
    let point = json!({"type": "Point", "coordinates": [180.0, -90.0], "": [1, true]});
    let response = app
        .request(Method::PATCH, &path)
        .json(&json!({"zaakgeometrie": point}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(
        changed["zaakgeometrie"],
        json!({"type": "Point", "coordinates": [180.0, -90.0]})
    );
    let again = app
        .request(Method::PATCH, &path)
        .json(&json!({"omschrijving": "Nog te wijzigen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    app.stop().await;
}
