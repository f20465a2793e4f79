//! A real browser for the pages Zaakstroom serves: Debian's headless Chromium (ops/test
//! installs it), offline like a closed municipal network.

/// The DOM of `url` after its scripts ran (up to `budget_ms` of virtual time); the test is
/// NOT RUN (fails, saying so) without /usr/bin/chromium.
pub async fn dump_dom(test: &str, url: String, budget_ms: u32) -> (String, String) {
    let chromium = "/usr/bin/chromium";
    if !std::path::Path::new(chromium).exists() {
        super::not_run(
            test,
            "no /usr/bin/chromium (ops/test installs Debian's chromium)",
        );
    }
    let profile = std::env::temp_dir().join(format!("zs-chromium-{}", uuid::Uuid::new_v4()));
    let run = move || {
        std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--virtual-time-budget={budget_ms}"))
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--dump-dom")
            .arg(&url)
            .output()
    };
    let output = tokio::task::spawn_blocking(run).await.unwrap().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
