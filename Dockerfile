# Build: docker build -t nastavnik .   Run with docker-compose.yml (PostgreSQL as a service).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY templates templates
COPY migrations migrations
COPY static static
COPY tests tests
RUN cargo build --release --locked --bin nastavnik

FROM debian:bookworm-slim
# pg_dump/pg_restore for `nastavnik backup` and `restore` against the PostgreSQL 15 service.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /var/lib/nastavnik --create-home nastavnik \
    && mkdir -p /var/lib/nastavnik-keys && chown nastavnik /var/lib/nastavnik-keys
COPY --from=build /src/target/release/nastavnik /usr/local/bin/nastavnik
USER nastavnik
ENV NASTAVNIK_BIND=0.0.0.0:8080 \
    NASTAVNIK_DATA_DIR=/var/lib/nastavnik \
    NASTAVNIK_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["nastavnik"]
CMD ["serve"]
