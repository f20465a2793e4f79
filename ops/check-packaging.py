#!/usr/bin/env python3
"""Checks the packaging files (Dockerfile, ops/compose.yaml, the Helm chart) where no Docker
engine and no cluster exist.

    python3 -m venv /tmp/zs-packaging && /tmp/zs-packaging/bin/pip install -r ops/check-packaging.requirements.txt
    /tmp/zs-packaging/bin/python ops/check-packaging.py

What it checks:

  Dockerfile    the builder's Rust version is rust-toolchain.toml's, it builds the root
                package's binary --locked, runs as uid 10001, listens on 0.0.0.0:8000,
                ENTRYPOINT the binary and CMD serve; .dockerignore keeps every file the
                build reads.
  compose       ops/compose.yaml against the Compose Specification's JSON schema (vendored
                in check-jsonschema), and across files: every service has an image or a
                build, depends_on and volumes name what exists, bind-mounted files exist,
                ZAAKSTROOM_ROLES are roles, environment names are ones src/config.rs
                reads, every ${VAR} is in compose.env.example, the setup file's secretEnv
                variables reach the containers that apply it; the OpenTelemetry collector's
                pipelines name defined components; prometheus.yml (promtool check config)
                and nginx.conf (nginx -t) when those programs are installed; the Grafana
                dashboards parse as JSON and their PromQL parses (promtool).
  helm          Chart.yaml/values.yaml parse, every template's {{ }} balance; then with
                Helm's own engine (helm-python-sdk: Helm 4 as a library, no helm binary)
                `helm lint` and rendering with each ci/*-values.yaml, every manifest against
                Kubernetes' OpenAPI schemas (kubernetes-validate, strict: unknown fields
                fail) for the oldest (1.25) and newest Kubernetes it knows, and the chart's
                own promises (probes, security contexts, Recreate projector, hook ordering,
                selectors, roles, environment names); the refusals (missing publicUrl,
                database, key; inline setup secrets) fail as they should.

A check whose tool is missing is reported SKIP, not PASS. Exit status 1 when any check
failed. Not part of ops/test (CI time); run it after changing the packaging files.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check-packaging: needs PyYAML (pip install -r ops/check-packaging.requirements.txt)")

ROOT = Path(__file__).resolve().parent.parent
OPS = ROOT / "ops"
CHART = OPS / "helm" / "zaakstroom"

# Roles being added in issue 20 that the binary in this tree may not know yet: accepted,
# with a note, until src/config.rs names them.
PENDING_ROLES = {"webhooks"}
# Environment variables the packaging may set besides those src/config.rs reads.
OTHER_ENV = {"RUST_LOG", "POD_NAME"}
OTHER_ENV_PREFIXES = ("OTEL_", "AWS_")
# Kubernetes versions the rendered chart is validated against: Chart.yaml's floor and the
# newest kubernetes-validate knows.
KUBE_VERSIONS = ("1.25.0", "1.37.0")


class Report:
    def __init__(self) -> None:
        self.passed = self.failed = self.skipped = 0

    def ok(self, name: str, detail: str = "") -> None:
        self.passed += 1
        print(f"PASS  {name}" + (f"  ({detail})" if detail else ""))

    def fail(self, name: str, detail: str) -> None:
        self.failed += 1
        print(f"FAIL  {name}: {detail}")

    def skip(self, name: str, why: str) -> None:
        self.skipped += 1
        print(f"SKIP  {name}: {why}")

    def note(self, text: str) -> None:
        print(f"NOTE  {text}")

    def check(self, name: str, problems: list[str], detail: str = "") -> None:
        if problems:
            self.fail(name, "; ".join(problems))
        else:
            self.ok(name, detail)


R = Report()


# ---------------------------------------------------------------------------------------
# What the source says
# ---------------------------------------------------------------------------------------

def config_env_names() -> set[str]:
    """Every `env = "..."` of src/config.rs: the variables the binary reads."""
    text = (ROOT / "src" / "config.rs").read_text()
    return set(re.findall(r'env\s*=\s*"([A-Z0-9_]+)"', text))


def config_roles() -> set[str]:
    """The variants of `enum Role` in src/config.rs, as clap spells them (lower case)."""
    text = (ROOT / "src" / "config.rs").read_text()
    m = re.search(r"pub enum Role\s*\{(.*?)\n\}", text, re.S)
    if not m:
        return set()
    body = re.sub(r"//[^\n]*", "", m.group(1))
    return {v.lower() for v in re.findall(r"\b([A-Z][A-Za-z0-9]*)\s*,", body)}


ENV_NAMES = config_env_names()
KNOWN_ROLES = config_roles()
VALID_ROLES = KNOWN_ROLES | PENDING_ROLES


def unknown_env(names) -> list[str]:
    return sorted(
        n for n in names
        if n not in ENV_NAMES and n not in OTHER_ENV and not n.startswith(OTHER_ENV_PREFIXES)
    )


def bad_roles(value: str) -> list[str]:
    return [r for r in (x.strip() for x in value.split(",")) if r not in VALID_ROLES]


def load_yaml(path: Path):
    with path.open() as f:
        return yaml.safe_load(f)


# ---------------------------------------------------------------------------------------
# Dockerfile
# ---------------------------------------------------------------------------------------

def check_dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    # Continuation lines joined, comments dropped.
    lines = [l for l in text.replace("\\\n", " ").splitlines() if not l.lstrip().startswith("#")]
    joined = "\n".join(lines)
    problems = []

    channel = re.search(r'channel\s*=\s*"([^"]+)"', (ROOT / "rust-toolchain.toml").read_text()).group(1)
    m = re.search(r"^ARG RUST_VERSION=(\S+)", joined, re.M)
    if not m or m.group(1) != channel:
        problems.append(f"ARG RUST_VERSION is {m and m.group(1)!r}, rust-toolchain.toml pins {channel!r}")
    if not re.search(r"^FROM rust:\$\{RUST_VERSION\}-\$\{DEBIAN_RELEASE\} AS builder", joined, re.M):
        problems.append("the builder is not FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE}")
    if not re.search(r"^FROM debian:\$\{DEBIAN_RELEASE\}-slim AS runtime", joined, re.M):
        problems.append("the runtime is not FROM debian:${DEBIAN_RELEASE}-slim")
    if not re.search(r"^ARG DEBIAN_RELEASE=bookworm$", joined, re.M):
        problems.append("DEBIAN_RELEASE is not bookworm")

    cargo = load_toml(ROOT / "Cargo.toml")
    package = cargo["package"]["name"]
    binary = cargo["package"].get("default-run", package)
    build = re.search(r"cargo build ([^&\n]*)", joined)
    if not build:
        problems.append("no cargo build")
    else:
        args = build.group(1).split()
        for want in ("--release", "--locked"):
            if want not in args:
                problems.append(f"cargo build without {want}")
        if f"--package" not in args or args[args.index("--package") + 1] != package:
            problems.append(f"cargo build does not name --package {package}")
        if "--bin" not in args or args[args.index("--bin") + 1] != binary:
            problems.append(f"cargo build does not name --bin {binary}")
    if f"target/release/{binary}" not in joined:
        problems.append(f"target/release/{binary} is not what is copied out")

    if not re.search(r"^USER 10001(:10001)?$", joined, re.M):
        problems.append("not USER 10001")
    if "--uid 10001" not in joined:
        problems.append("no user with uid 10001")
    if not re.search(r"^EXPOSE 8000$", joined, re.M):
        problems.append("no EXPOSE 8000")
    if not re.search(r"ZAAKSTROOM_LISTEN=0\.0\.0\.0:8000", joined):
        problems.append("ZAAKSTROOM_LISTEN is not 0.0.0.0:8000")
    if not re.search(rf'^ENTRYPOINT \["/usr/local/bin/{binary}"\]$', joined, re.M):
        problems.append("ENTRYPOINT is not the binary")
    if not re.search(r'^CMD \["serve"\]$', joined, re.M):
        problems.append('CMD is not ["serve"]')
    if "ca-certificates" not in joined:
        problems.append("no ca-certificates")
    env_set = re.findall(r"\b(ZAAKSTROOM_[A-Z0-9_]+)=", joined)
    unknown = unknown_env(env_set)
    if unknown:
        problems.append(f"ENV names src/config.rs does not read: {unknown}")
    R.check("dockerfile", problems, f"rust {channel}, package {package}, uid 10001")

    # .dockerignore must keep every file the build reads: the workspace members and the
    # root package's sources and manifests (what git tracks there).
    patterns = []
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        raw = raw.strip()
        if raw and not raw.startswith("#"):
            patterns.append(raw)
    members = cargo["workspace"]["members"]
    needed = ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"]
    tracked = git_files()
    for path in tracked:
        top = path.split("/", 1)[0]
        if top in members or top == "src":
            needed.append(path)
    excluded = [p for p in needed if dockerignored(p, patterns)]
    R.check(".dockerignore", [f"excludes files the build reads: {excluded[:5]}"] if excluded else [],
            f"{len(needed)} build inputs kept")


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule, closely enough: the last matching pattern wins, `!` re-includes, a
    pattern matching a parent directory excludes what is below it."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        p = pattern[1:] if negate else pattern
        p = p.strip("/")
        regex = glob_regex(p)
        if any(regex.fullmatch(c) for c in candidates):
            result = not negate
    return result


def glob_regex(pattern: str) -> re.Pattern:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out)


def git_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
        return out.stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and "target" not in p.parts]


def load_toml(path: Path) -> dict:
    import tomllib
    with path.open("rb") as f:
        return tomllib.load(f)


# ---------------------------------------------------------------------------------------
# compose
# ---------------------------------------------------------------------------------------

def check_compose() -> None:
    path = OPS / "compose.yaml"
    try:
        compose = load_yaml(path)
    except yaml.YAMLError as e:
        R.fail("compose: parses", str(e))
        return
    R.ok("compose: parses (YAML, merge keys resolved)")
    services = compose.get("services") or {}
    volumes = set((compose.get("volumes") or {}).keys())

    # Against the Compose Specification's schema, as vendored by check-jsonschema.
    tool = shutil.which("check-jsonschema") or sibling("check-jsonschema")
    if tool:
        out = subprocess.run([tool, "--builtin-schema", "vendor.compose-spec", str(path)],
                             capture_output=True, text=True)
        if out.returncode == 0:
            R.ok("compose: Compose Specification schema", "check-jsonschema vendor.compose-spec")
        else:
            R.fail("compose: Compose Specification schema", (out.stdout + out.stderr).strip())
    else:
        R.skip("compose: Compose Specification schema", "check-jsonschema not installed")

    problems = []
    zaakstroom_services = []
    for name, svc in services.items():
        if not (svc.get("image") or svc.get("build")):
            problems.append(f"{name}: neither image nor build")
        deps = svc.get("depends_on") or []
        for dep in (deps.keys() if isinstance(deps, dict) else deps):
            if dep not in services:
                problems.append(f"{name}: depends_on unknown service {dep}")
        for mount in svc.get("volumes") or []:
            source = mount.split(":", 1)[0] if isinstance(mount, str) else mount.get("source")
            if source.startswith((".", "/")):
                if not (OPS / source).resolve().exists():
                    problems.append(f"{name}: bind mount {source} does not exist")
            elif source not in volumes:
                problems.append(f"{name}: volume {source} is not declared")
        build = svc.get("build")
        if build:
            context = (OPS / (build["context"] if isinstance(build, dict) else build)).resolve()
            dockerfile = context / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
            if not dockerfile.exists():
                problems.append(f"{name}: build context has no {dockerfile.name}")
            zaakstroom_services.append(name)
    R.check("compose: services, depends_on, volumes, bind mounts", problems,
            f"{len(services)} services")

    # The Zaakstroom containers: roles, environment names, one projector and notifier.
    problems = []
    roles_seen = {}
    for name in zaakstroom_services:
        svc = services[name]
        env = svc.get("environment") or {}
        if isinstance(env, list):
            env = dict(e.split("=", 1) for e in env)
        unknown = unknown_env(k for k in env if k not in setup_secret_envs())
        if unknown:
            problems.append(f"{name}: environment src/config.rs does not read: {unknown}")
        command = svc.get("command") or ["serve"]
        if command[0] == "serve":
            roles = env.get("ZAAKSTROOM_ROLES")
            if not roles:
                problems.append(f"{name}: serve without ZAAKSTROOM_ROLES (would run every role)")
                continue
            bad = bad_roles(roles)
            if bad:
                problems.append(f"{name}: unknown roles {bad}")
            replicas = ((svc.get("deploy") or {}).get("replicas")) or 1
            for role in roles.split(","):
                roles_seen[role] = roles_seen.get(role, 0) + replicas
            if "api" not in roles.split(",") and svc.get("healthcheck"):
                problems.append(f"{name}: a health check on a worker (it would see the HTTP server, not the worker)")
            if "api" in roles.split(",") and not svc.get("healthcheck"):
                problems.append(f"{name}: api without a health check")
    for role in ("projector", "notifier"):
        if roles_seen.get(role) != 1:
            problems.append(f"{role} runs {roles_seen.get(role, 0)} times (one active by lock: run one)")
    for role in sorted(VALID_ROLES):
        if role not in roles_seen:
            problems.append(f"no service runs role {role}")
    if roles_seen.get("api", 0) < 2:
        problems.append("fewer than two api replicas")
    R.check("compose: Zaakstroom roles and environment", problems,
            ", ".join(f"{r} x{n}" for r, n in sorted(roles_seen.items())))
    pending = sorted(r for r in roles_seen if r in PENDING_ROLES and r not in KNOWN_ROLES)
    if pending:
        R.note(f"roles {pending} are not in src/config.rs yet (issue 20): an image built from "
               "this tree refuses them at start-up")

    # Every ${VAR} the file interpolates is documented in compose.env.example; every
    # required one (${VAR:?...}) is a key there.
    text = path.read_text()
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    example = (OPS / "compose.env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", example, re.M))
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    problems = [f"${{{v}}} not in compose.env.example" for v in sorted(used - documented)]
    keys = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    problems += [f"required {v} is commented out in compose.env.example" for v in sorted(required - keys)]
    R.check("compose: variables documented in compose.env.example", problems,
            f"{len(used)} variables, {len(required)} required")

    # The setup file's secretEnv variables reach the containers that apply it.
    problems = []
    for name in zaakstroom_services:
        svc = services[name]
        env = svc.get("environment") or {}
        mounts = " ".join(m for m in svc.get("volumes") or [] if isinstance(m, str))
        if "compose.setup.yaml" in mounts:
            missing = sorted(setup_secret_envs() - set(env))
            if missing:
                problems.append(f"{name} applies the setup file without {missing}")
    R.check("compose: setup file's secretEnv variables", problems, ", ".join(sorted(setup_secret_envs())))

    check_otel_collector()
    check_prometheus(services)
    check_grafana(services)
    check_nginx()


def setup_secret_envs() -> set[str]:
    setup = load_yaml(OPS / "compose.setup.yaml") or {}
    return {e["secretEnv"] for k in ("clients", "services") for e in setup.get(k) or [] if "secretEnv" in e}


def sibling(program: str) -> str | None:
    """A console script installed beside this Python (a venv not on PATH)."""
    candidate = Path(sys.executable).parent / program
    return str(candidate) if candidate.exists() else None


def check_otel_collector() -> None:
    config = load_yaml(OPS / "otel-collector.yaml")
    problems = []
    service = config.get("service") or {}
    for ext in service.get("extensions") or []:
        if ext not in (config.get("extensions") or {}):
            problems.append(f"extension {ext} is not defined")
    for name, pipeline in (service.get("pipelines") or {}).items():
        for kind in ("receivers", "processors", "exporters"):
            for component in pipeline.get(kind) or []:
                if component not in (config.get(kind) or {}):
                    problems.append(f"pipeline {name}: {kind[:-1]} {component} is not defined")
    grpc = (((config.get("receivers") or {}).get("otlp") or {}).get("protocols") or {}).get("grpc") or {}
    if not str(grpc.get("endpoint", "")).startswith("0.0.0.0:"):
        problems.append("the OTLP gRPC receiver does not listen beyond localhost")
    R.check("otel-collector.yaml: pipelines name defined components", problems)


def check_prometheus(services: dict) -> None:
    config = load_yaml(OPS / "prometheus.yml")
    problems = []
    roles = set()
    for job in config.get("scrape_configs") or []:
        for sd in job.get("dns_sd_configs") or []:
            for name in sd.get("names") or []:
                if name not in services:
                    problems.append(f"{job['job_name']}: {name} is not a compose service")
                roles.add(name)
                if sd.get("port") != 8000 or job.get("metrics_path") != "/metrics":
                    problems.append(f"{job['job_name']}: not :8000/metrics")
        for sc in job.get("static_configs") or []:
            for target in sc.get("targets") or []:
                host = target.split(":")[0]
                if host != "localhost" and host not in services:
                    problems.append(f"{job['job_name']}: {host} is not a compose service")
    missing = {"api", "projector", "notifier", "webhooks"} - roles
    if missing:
        problems.append(f"roles not scraped: {sorted(missing)}")
    R.check("prometheus.yml: targets are compose services", problems)
    promtool = shutil.which("promtool")
    if promtool:
        out = subprocess.run([promtool, "check", "config", "--syntax-only", str(OPS / "prometheus.yml")],
                             capture_output=True, text=True)
        if out.returncode != 0 and "unknown long flag" in out.stderr:
            out = subprocess.run([promtool, "check", "config", str(OPS / "prometheus.yml")],
                                 capture_output=True, text=True)
        version = subprocess.run([promtool, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        if out.returncode == 0:
            R.ok("prometheus.yml: promtool check config", version.strip())
        else:
            R.fail("prometheus.yml: promtool check config", (out.stdout + out.stderr).strip())
    else:
        R.skip("prometheus.yml: promtool check config", "promtool not installed (Debian: prometheus)")


def check_grafana(services: dict) -> None:
    problems = []
    ds = load_yaml(OPS / "grafana" / "provisioning" / "datasources" / "datasources.yaml")
    for source in ds.get("datasources") or []:
        host = re.sub(r"^https?://", "", source["url"]).split(":")[0].split("/")[0]
        if host not in services:
            problems.append(f"data source {source['name']}: {host} is not a compose service")
    if sum(1 for s in ds.get("datasources") or [] if s.get("isDefault")) != 1:
        problems.append("not exactly one default data source")
    boards = load_yaml(OPS / "grafana" / "provisioning" / "dashboards" / "dashboards.yaml")
    paths = [p["options"]["path"] for p in boards.get("providers") or []]
    grafana = services.get("grafana") or {}
    mounted = [m.split(":")[1] for m in grafana.get("volumes") or [] if isinstance(m, str)]
    for p in paths:
        if p not in mounted:
            problems.append(f"dashboards path {p} is not mounted in grafana")
    for dashboard in (OPS / "grafana" / "dashboards").glob("*.json"):
        import json
        try:
            json.loads(dashboard.read_text())
        except ValueError as e:
            problems.append(f"{dashboard.name}: {e}")
    R.check("grafana provisioning: data sources and dashboards", problems)
    check_dashboard_queries()


def check_dashboard_queries() -> None:
    """Every PromQL expression of the dashboards parses (promtool, as recording rules)."""
    import json
    promtool = shutil.which("promtool")
    if not promtool:
        R.skip("grafana dashboards: PromQL parses", "promtool not installed (Debian: prometheus)")
        return
    exprs = [
        t["expr"].replace("$__rate_interval", "1m")
        for board in (OPS / "grafana" / "dashboards").glob("*.json")
        for panel in json.loads(board.read_text()).get("panels") or []
        for t in panel.get("targets") or []
        if t.get("expr")
    ]
    rules = {"groups": [{"name": "dashboards", "rules": [
        {"record": f"dashboard:expr{i}", "expr": e} for i, e in enumerate(exprs)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
        json.dump(rules, f)
        f.flush()
        out = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
    if out.returncode == 0:
        R.ok("grafana dashboards: PromQL parses", f"{len(exprs)} expressions")
    else:
        R.fail("grafana dashboards: PromQL parses", (out.stdout + out.stderr).strip())


def check_nginx() -> None:
    nginx = shutil.which("nginx") or (os.path.exists("/usr/sbin/nginx") and "/usr/sbin/nginx")
    if not nginx:
        R.skip("nginx.conf: nginx -t", "nginx not installed (Debian: nginx-light)")
        return
    with tempfile.TemporaryDirectory() as prefix:
        # A copy whose pid file is in the scratch directory (`nginx -t` creates it); the
        # compose file mounts the original as /etc/nginx/nginx.conf.
        conf = Path(prefix) / "nginx.conf"
        conf.write_text(re.sub(r"(?m)^pid .*;$", f"pid {prefix}/nginx.pid;",
                               (OPS / "nginx.conf").read_text()))
        out = subprocess.run([nginx, "-t", "-p", prefix, "-c", str(conf),
                              "-g", f"error_log {prefix}/error.log;"],
                             capture_output=True, text=True)
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    if out.returncode == 0:
        R.ok("nginx.conf: nginx -t", version)
    else:
        R.fail("nginx.conf: nginx -t", out.stderr.strip())


# ---------------------------------------------------------------------------------------
# Helm
# ---------------------------------------------------------------------------------------

def check_helm() -> None:
    problems = []
    chart = load_yaml(CHART / "Chart.yaml")
    for key in ("apiVersion", "name", "version", "appVersion"):
        if key not in chart:
            problems.append(f"Chart.yaml without {key}")
    if chart.get("apiVersion") != "v2":
        problems.append("Chart.yaml apiVersion is not v2")
    values = load_yaml(CHART / "values.yaml")
    if not isinstance(values, dict):
        problems.append("values.yaml is not a mapping")
    for f in sorted(CHART.glob("ci/*.yaml")):
        load_yaml(f)
    for f in sorted((CHART / "templates").iterdir()):
        text = f.read_text()
        opens, closes = text.count("{{"), text.count("}}")
        if opens != closes:
            problems.append(f"{f.name}: {opens} '{{{{' but {closes} '}}}}'")
        # Every action closed before the next opens.
        depth = 0
        for token in re.findall(r"\{\{|\}\}", text):
            depth += 1 if token == "{{" else -1
            if depth not in (0, 1):
                problems.append(f"{f.name}: nested or unbalanced {{{{ }}}}")
                break
    R.check("helm: Chart.yaml, values.yaml, ci values parse; templates' {{ }} balance", problems)

    try:
        import helm_python as helm
    except Exception as e:  # ImportError, or the native library failing to load
        R.skip("helm: lint and render (Helm's engine)", f"helm-python-sdk not usable: {e}")
        return
    R.note(f"Helm engine: helm-python-sdk (libhelm_c {helm.helm_c_version()}, Helm SDK {helm.helm_sdk_version()})")
    try:
        import kubernetes_validate
    except ImportError:
        kubernetes_validate = None
        R.skip("helm: manifests against Kubernetes' schemas", "kubernetes-validate not installed")

    ci_values = sorted(CHART.glob("ci/*-values.yaml"))
    for values_file in ci_values:
        vals = load_yaml(values_file) or {}
        label = f"helm[{values_file.name}]"
        report = helm.lint(str(CHART), vals, strict=True, namespace="zaken")
        messages = [m for m in report.get("messages") or [] if m.get("severity", 0) >= 2]
        errors = report.get("errors") or []
        R.check(f"{label}: helm lint --strict",
                [f"{m.get('path')}: {m.get('error')}" for m in messages] + list(errors))
        for upgrade in (False, True):
            try:
                with helm.Chart.load(str(CHART)) as c:
                    rendered = c.render(vals, name="zs", namespace="zaken",
                                        is_install=not upgrade, is_upgrade=upgrade)
            except Exception as e:
                R.fail(f"{label}: renders", str(e))
                break
            if upgrade:
                R.ok(f"{label}: renders as an upgrade too")
                break
            docs = manifests(rendered)
            R.ok(f"{label}: renders", f"{len(docs)} manifests: " + ", ".join(sorted({d['kind'] for d in docs})))
            if kubernetes_validate:
                problems = []
                for version in KUBE_VERSIONS:
                    for doc in docs:
                        try:
                            kubernetes_validate.validate(doc, version, strict=True)
                        except Exception as e:
                            problems.append(f"{doc['kind']}/{doc['metadata']['name']} on {version}: "
                                            f"{getattr(e, 'message', str(e))}")
                R.check(f"{label}: manifests against Kubernetes' schemas (strict)", problems,
                        " and ".join(KUBE_VERSIONS))
            check_chart_promises(label, vals, docs)

    check_chart_refusals(helm)


def manifests(rendered: dict[str, str]) -> list[dict]:
    """Every Kubernetes object of a rendering (NOTES.txt aside)."""
    docs = []
    for name, text in sorted(rendered.items()):
        if not name.endswith("NOTES.txt"):
            docs.extend(d for d in yaml.safe_load_all(text) if d)
    return docs


def pod_spec(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def check_chart_promises(label: str, vals: dict, docs: list[dict]) -> None:
    by_kind: dict[str, list[dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    problems = []

    def component(d):
        return (d["metadata"].get("labels") or {}).get("app.kubernetes.io/component")

    # An empty block rendered as `key:` with nothing under it reads as null: a template slip.
    def nulls(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if v is None:
                    problems.append(f"{where}.{k} is null")
                nulls(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                nulls(v, f"{where}[{i}]")
    for d in docs:
        nulls(d, f"{d['kind']}/{d['metadata'].get('name')}")

    deployments = {component(d): d for d in by_kind.get("Deployment", [])}
    jobs = by_kind.get("Job", [])

    # Every pod: non-root, read-only root, no capabilities, no privilege escalation, no
    # service account token; every container's environment known to the binary.
    for d in list(deployments.values()) + jobs:
        spec = pod_spec(d)
        name = f"{d['kind']}/{d['metadata']['name']}"
        psc = spec.get("securityContext") or {}
        if not psc.get("runAsNonRoot"):
            problems.append(f"{name}: pod not runAsNonRoot")
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{name}: service account token mounted")
        for c in (spec.get("initContainers") or []) + spec["containers"]:
            sc = c.get("securityContext") or {}
            if not sc.get("readOnlyRootFilesystem"):
                problems.append(f"{name}/{c['name']}: root filesystem writable")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{name}/{c['name']}: privilege escalation allowed")
            if (sc.get("capabilities") or {}).get("drop") != ["ALL"]:
                problems.append(f"{name}/{c['name']}: capabilities not dropped")
            env = {e["name"]: e.get("value") for e in c.get("env") or []}
            unknown = unknown_env(n for n in env if n not in chart_secret_envs(vals))
            if unknown:
                problems.append(f"{name}/{c['name']}: environment src/config.rs does not read: {unknown}")
            if len(env) != len(c.get("env") or []):
                problems.append(f"{name}/{c['name']}: an environment variable set twice")
            if "ZAAKSTROOM_ROLES" in env:
                bad = bad_roles(env["ZAAKSTROOM_ROLES"])
                if bad:
                    problems.append(f"{name}: unknown roles {bad}")
                if env["ZAAKSTROOM_ROLES"] != component(d):
                    problems.append(f"{name}: roles {env['ZAAKSTROOM_ROLES']} in the {component(d)} Deployment")
            if c.get("args", [None])[0] == "serve" and "ZAAKSTROOM_ROLES" not in env:
                problems.append(f"{name}: serve without ZAAKSTROOM_ROLES (would run every role)")
            if "/var/lib/zaakstroom/content" != env.get("ZAAKSTROOM_CONTENT_DIR"):
                problems.append(f"{name}: ZAAKSTROOM_CONTENT_DIR is not the image's directory")

    # The API: probes on the right paths, the port, Service/HPA/PDB pointing at it.
    api = deployments.get("api")
    if not api:
        problems.append("no api Deployment")
    else:
        c = pod_spec(api)["containers"][0]
        for probe, path in (("startupProbe", "/healthz"), ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            got = ((c.get(probe) or {}).get("httpGet") or {}).get("path")
            if got != path:
                problems.append(f"api {probe} path {got!r}, want {path}")
        if not any(p.get("containerPort") == 8000 for p in c.get("ports") or []):
            problems.append("api does not expose 8000")
        env = {e["name"]: e.get("value") for e in c.get("env") or []}
        if env.get("ZAAKSTROOM_LISTEN") != "0.0.0.0:8000":
            problems.append("api does not listen on 0.0.0.0:8000")
        pod_labels = api["spec"]["template"]["metadata"]["labels"]
        for kind in ("Service", "PodDisruptionBudget"):
            for d in by_kind.get(kind, []):
                sel = d["spec"]["selector"]
                sel = sel.get("matchLabels", sel) if kind == "PodDisruptionBudget" else sel
                if any(pod_labels.get(k) != v for k, v in sel.items()):
                    problems.append(f"{kind}/{d['metadata']['name']} does not select the api pods")
        autoscaling = ((vals.get("api") or {}).get("autoscaling") or {}).get("enabled", True)
        hpas = by_kind.get("HorizontalPodAutoscaler", [])
        if autoscaling:
            if len(hpas) != 1 or hpas[0]["spec"]["scaleTargetRef"]["name"] != api["metadata"]["name"]:
                problems.append("the HPA does not scale the api Deployment")
            if "replicas" in api["spec"]:
                problems.append("api sets replicas while the HPA scales it")
        elif hpas:
            problems.append("an HPA although autoscaling is off")
        if not by_kind.get("PodDisruptionBudget"):
            problems.append("no PodDisruptionBudget for the api")

    # The workers: projector and notifier one pod with Recreate, no probes anywhere (a
    # worker serves /metrics on :8000, but an answering HTTP server says nothing of whether
    # it follows the log), the port named and scrape annotations as configured.
    for role in ("projector", "notifier", "webhooks"):
        d = deployments.get(role)
        enabled = ((vals.get(role) or {}).get("enabled", True))
        if bool(d) != bool(enabled):
            problems.append(f"{role} Deployment {'missing' if enabled else 'rendered while disabled'}")
            continue
        if not d:
            continue
        if role in ("projector", "notifier"):
            if d["spec"].get("replicas") != 1 or d["spec"]["strategy"]["type"] != "Recreate":
                problems.append(f"{role}: not one replica with Recreate")
        for c in pod_spec(d)["containers"]:
            if any(k in c for k in ("livenessProbe", "readinessProbe", "startupProbe")):
                problems.append(f"{role}: a probe on a worker")
            if not any(p.get("containerPort") == 8000 for p in c.get("ports") or []):
                problems.append(f"{role} does not expose 8000 (/metrics)")
        annotations = d["spec"]["template"]["metadata"].get("annotations") or {}
        wanted = (vals.get(role) or {}).get("metricsAnnotations", True)
        if wanted and annotations.get("prometheus.io/path") != "/metrics":
            problems.append(f"{role}: no scrape annotations for /metrics")

    # The migration Job: a pre-install/pre-upgrade hook that reads only what exists then
    # (hook resources of a lower weight, or existingSecret).
    if len(jobs) != 1:
        problems.append(f"{len(jobs)} Jobs, want the migration Job")
    else:
        job = jobs[0]
        ann = job["metadata"].get("annotations") or {}
        if set(ann.get("helm.sh/hook", "").split(",")) != {"pre-install", "pre-upgrade"}:
            problems.append("the Job is not a pre-install,pre-upgrade hook")
        weight = int(ann.get("helm.sh/hook-weight", "0"))
        hooks = {(d["kind"], d["metadata"]["name"]) for d in docs
                 if "pre-install" in ((d["metadata"].get("annotations") or {}).get("helm.sh/hook", ""))
                 and int(d["metadata"]["annotations"].get("helm.sh/hook-weight", "0")) < weight}
        spec = pod_spec(job)
        refs = set()
        for c in (spec.get("initContainers") or []) + spec["containers"]:
            for ef in c.get("envFrom") or []:
                if "secretRef" in ef:
                    refs.add(("Secret", ef["secretRef"]["name"]))
            if c.get("args", [None])[0] != "migrate" and c.get("args", [None])[:2] != ["applicatie", "apply"]:
                problems.append(f"Job container {c['name']} runs {c.get('args')}")
        for v in spec.get("volumes") or []:
            if "configMap" in v:
                refs.add(("ConfigMap", v["configMap"]["name"]))
            if "secret" in v:
                refs.add(("Secret", v["secret"]["secretName"]))
            if "persistentVolumeClaim" in v:
                problems.append("the Job mounts a PVC that may not exist before install")
        external = {("Secret", vals["existingSecret"])} if vals.get("existingSecret") else set()
        for ref in sorted(refs - hooks - external):
            problems.append(f"the Job reads {ref[0]}/{ref[1]}, which does not exist yet at pre-install")
        if spec.get("serviceAccountName") not in ("default", None) and (vals.get("serviceAccount") or {}).get("create"):
            problems.append("the Job uses the chart's ServiceAccount, created only after pre-install")
        args = [c.get("args") for c in (spec.get("initContainers") or []) + spec["containers"]]
        if ["migrate"] != args[0]:
            problems.append(f"the Job does not migrate first: {args}")
        if vals.get("setup") and args[-1][:2] != ["applicatie", "apply"]:
            problems.append("the Job does not apply the setup file")

    # Every Secret, ConfigMap and PVC a Deployment reads is rendered or named as external.
    rendered = {(d["kind"], d["metadata"]["name"]) for d in docs
                if "helm.sh/hook" not in (d["metadata"].get("annotations") or {})}
    external = set()
    if vals.get("existingSecret"):
        external.add(("Secret", vals["existingSecret"]))
    claim = ((vals.get("content") or {}).get("persistence") or {}).get("existingClaim")
    if claim:
        external.add(("PersistentVolumeClaim", claim))
    for d in deployments.values():
        spec = pod_spec(d)
        refs = set()
        for c in spec["containers"]:
            for ef in c.get("envFrom") or []:
                if "secretRef" in ef:
                    refs.add(("Secret", ef["secretRef"]["name"]))
        for v in spec.get("volumes") or []:
            if "configMap" in v:
                refs.add(("ConfigMap", v["configMap"]["name"]))
            if "persistentVolumeClaim" in v:
                refs.add(("PersistentVolumeClaim", v["persistentVolumeClaim"]["claimName"]))
        for ref in sorted(refs - rendered - external):
            problems.append(f"{d['metadata']['name']} reads {ref[0]}/{ref[1]}, which nothing provides")
    R.check(f"{label}: the chart's promises", problems,
            "security contexts, probes, roles, env names, HPA/PDB/Service selectors, hook ordering")


def chart_secret_envs(vals: dict) -> set[str]:
    """Names the setup file reads with secretEnv (they come from the Secret, not env)."""
    setup = vals.get("setup") or {}
    return {e["secretEnv"] for k in ("clients", "services") for e in setup.get(k) or [] if "secretEnv" in e}


def check_chart_refusals(helm) -> None:
    """Values that must not render, with the reason the chart gives."""
    base = load_yaml(CHART / "ci" / "minimal-values.yaml")

    def without(key):
        v = {k: val for k, val in base.items() if k != key}
        return v

    cases = [
        ("no config.publicUrl", {**base, "config": {}}, "config.publicUrl is required"),
        ("no postgresql.url", without("postgresql"), "postgresql.url is required"),
        ("no secretKey", without("secretKey"), "secretKey is required"),
        ("a short secretKey", {**base, "secretKey": "abc"}, "secretKey"),
        ("a database URL of another scheme", {**base, "postgresql": {"url": "postgress://db/zaakstroom"}},
         "postgresql/url"),
        ("a misspelt value", {**base, "api": {"autoscalling": {"enabled": False}}}, "autoscalling"),
        ("an inline setup secret", {**base, "setup": {"clients": [{"clientId": "x", "secret": "s"}]}},
         "give secretEnv"),
        ("a secretEnv the Secret lacks", {**base, "setup": {"clients": [{"clientId": "x", "secretEnv": "X_SECRET"}]}},
         "which secretEnv does not define"),
    ]
    problems = []
    for what, vals, expected in cases:
        try:
            with helm.Chart.load(str(CHART)) as c:
                c.render(vals, name="zs", namespace="zaken", is_install=True)
            problems.append(f"{what}: rendered")
        except Exception as e:
            if expected not in str(e):
                problems.append(f"{what}: failed with {e!r}, not {expected!r}")
    R.check("helm: refuses incomplete or unsafe values", problems, f"{len(cases)} cases")


def main() -> int:
    print(f"check-packaging: {ROOT}")
    R.note(f"src/config.rs: roles {sorted(KNOWN_ROLES)}, {len(ENV_NAMES)} environment variables")
    check_dockerfile()
    check_compose()
    check_helm()
    print(f"check-packaging: {R.passed} passed, {R.failed} failed, {R.skipped} skipped")
    return 1 if R.failed else 0


if __name__ == "__main__":
    sys.exit(main())
