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

/// A headless Chromium driven over WebDriver (Debian's chromedriver, started on a port of
/// its own and killed on drop): for pages a test clicks through.
pub struct Driver {
    process: std::process::Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    /// NOT RUN (fails, saying so) without /usr/bin/chromedriver.
    pub async fn start(test: &str) -> Self {
        let driver = "/usr/bin/chromedriver";
        if !std::path::Path::new(driver).exists() {
            super::not_run(
                test,
                "no /usr/bin/chromedriver (ops/test installs chromium-driver)",
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = std::process::Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let profile = std::env::temp_dir().join(format!("zs-webdriver-{}", uuid::Uuid::new_v4()));
        let capabilities = serde_json::json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-sync",
                format!("--user-data-dir={}", profile.display())]}
        }}});
        let mut session = None;
        for _ in 0..100 {
            if let Ok(r) = http
                .post(format!("{base}/session"))
                .json(&capabilities)
                .send()
                .await
            {
                let body: serde_json::Value = r.json().await.unwrap();
                session = Some(
                    body["value"]["sessionId"]
                        .as_str()
                        .unwrap_or_else(|| panic!("a WebDriver session: {body}"))
                        .to_owned(),
                );
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Self {
            process,
            base,
            session: session.expect("chromedriver answers"),
            http,
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = self.http.request(method.clone(), url);
        let request = if method == reqwest::Method::GET || method == reqwest::Method::DELETE {
            request
        } else {
            request.json(&body)
        };
        let response = request.send().await.unwrap();
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["value"]["error"].is_null(), "WebDriver {path}: {body}");
        body["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.call(
            reqwest::Method::POST,
            "/url",
            serde_json::json!({"url": url}),
        )
        .await;
    }

    /// The elements matching `css` (their WebDriver ids).
    pub async fn all(&self, css: &str) -> Vec<String> {
        let found = self
            .call(
                reqwest::Method::POST,
                "/elements",
                serde_json::json!({"using": "css selector", "value": css}),
            )
            .await;
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_owned())
            .collect()
    }

    /// Waits (up to 20 s) until at least `n` elements match `css`.
    pub async fn wait_for(&self, css: &str, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let found = self.all(css).await;
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "no {n} elements {css} on the page: {}",
            self.text("body").await
        );
    }

    pub async fn click(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            serde_json::json!({}),
        )
        .await;
    }

    pub async fn element_text(&self, element: &str) -> String {
        let value = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{element}/text"),
                serde_json::Value::Null,
            )
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The text of the first element matching `css` (empty when there is none).
    pub async fn text(&self, css: &str) -> String {
        match self.all(css).await.first() {
            Some(e) => self.element_text(e).await,
            None => String::new(),
        }
    }
}

impl Driver {
    /// Ends the browser session (the browser quits), then the driver.
    pub async fn quit(self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(url).send().await;
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
