# syntax=docker/dockerfile:1
#
# The Zaakstroom container image: one binary, every role. What a container does is chosen
# by its command and environment (`serve` with ZAAKSTROOM_ROLES=api | projector | notifier |
# webhooks, or `migrate`, `rebuild`, `applicatie ...`); see README "Deploying".
#
#   docker build -t zaakstroom:local .
#   docker run --rm zaakstroom:local --help
#
# Needs BuildKit (the default builder since Docker 23) for the cache mounts below.

# rust-toolchain.toml pins 1.95.0: build on exactly that toolchain, so rustup in the image
# does not fetch another one (at most the file's rustfmt and clippy components, where the
# image lacks them).
ARG RUST_VERSION=1.95.0
ARG DEBIAN_RELEASE=bookworm

########################################################################################
# Builder: compiles the release binary.
########################################################################################
FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS builder
WORKDIR /src

# Dependency caching: the cargo registry, the git checkouts and target/ live in BuildKit
# cache mounts, so a rebuild after a source change recompiles only the workspace crates,
# not the ~400 dependencies (a cold build takes 10-20 minutes on two cores). A layer-based
# scheme (cargo-chef, or a dummy src/ trick) would also work across CI runners without a
# persistent builder cache, but needs an extra tool or per-crate stubs for a workspace of
# eight crates with build scripts; the cache mounts need neither.
COPY . .
RUN --mount=type=cache,id=zaakstroom-cargo-registry,target=/usr/local/cargo/registry \
    --mount=type=cache,id=zaakstroom-cargo-git,target=/usr/local/cargo/git \
    --mount=type=cache,id=zaakstroom-target,target=/src/target \
    cargo build --release --locked --package zaakstroom --bin zaakstroom \
 && install -D -m 0755 target/release/zaakstroom /out/zaakstroom

########################################################################################
# Runtime: Debian slim (same glibc as the builder), CA certificates, a non-root user.
# distroless/cc would be smaller still, but slim keeps bash, which the compose file's
# health check uses (/dev/tcp) and an operator reaches for with `docker exec`.
########################################################################################
FROM debian:${DEBIAN_RELEASE}-slim AS runtime

# ca-certificates: TLS to PostgreSQL, KurrentDB, NATS, S3 and the other ZGW APIs trusts the
# system store too; an installation's own CA is added by mounting it and running
# update-ca-certificates in a derived image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# uid/gid 10001: above every distribution's system range, so it never collides with a
# host user; the Helm chart's securityContext runs as the same ids.
RUN groupadd --system --gid 10001 zaakstroom \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/zaakstroom \
        --no-create-home --shell /usr/sbin/nologin zaakstroom \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/zaakstroom /var/lib/zaakstroom/content

COPY --from=builder /out/zaakstroom /usr/local/bin/zaakstroom

# Every serve process (whatever its roles) opens the document content store at start-up:
# a directory here unless ZAAKSTROOM_CONTENT_URL names an object store. With more than one
# API process that directory must be shared (a volume every API container mounts) or the
# content must live in an object store; see README "Deploying".
ENV ZAAKSTROOM_LISTEN=0.0.0.0:8000 \
    ZAAKSTROOM_CONTENT_DIR=/var/lib/zaakstroom/content \
    ZAAKSTROOM_LOG_FORMAT=json
WORKDIR /var/lib/zaakstroom
USER 10001:10001

# The HTTP listener: with the `api` role the APIs, GraphQL, /healthz, /readyz and /metrics;
# a projector, notifier or webhooks process serves /healthz, /readyz and /metrics only.
EXPOSE 8000

# No HEALTHCHECK here: there is no curl in the image, and what "healthy" means differs by
# role. Kubernetes probes /healthz (liveness) and /readyz (readiness) of the API pods
# (ops/helm/zaakstroom); ops/compose.yaml gives its API containers a check of its own that
# needs only bash.
#
# The binary is PID 1 and stops cleanly on SIGTERM (in-flight requests finish, workers
# stop after their batch).
ENTRYPOINT ["/usr/local/bin/zaakstroom"]
CMD ["serve"]
